// A loopback stand-in for issue-core (a system we do not own), with faults a test can switch on.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface StoredIssue {
  issue_id: string;
  idempotencyKey: string;
  payload: Record<string, unknown>;
}

type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'create-then-drop' }
  | { kind: 'delay'; ms: number }
  | { kind: 'no-issue-id' }
  | { kind: 'hang' };

export class FakeIssueCore {
  readonly requests: RecordedRequest[] = [];
  readonly issues = new Map<string, StoredIssue>();
  /** Faults applied, one each, to the next POST /issues/ calls. */
  private readonly faults: Fault[] = [];
  private server?: Server;
  private port = 0;
  token?: string;
  healthStatus = 200;
  /** While set, every POST /issues/ is answered with this status (e.g. 403: a token that can read, not create). */
  createStatus?: number;
  /** While set, random faults on every POST /issues/ (seeded, so a failing run can be replayed). */
  private chaos?: { unavailable: number; lost: number; random: () => number };
  /** Longest Idempotency-Key accepted (longer ones get 400, as real stores cap their keys). */
  maxKeyLength = 255;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get creations(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/issues/');
  }

  failNext(count: number, status: number, body?: unknown, headers?: Record<string, string>): this {
    for (let i = 0; i < count; i++) this.faults.push({ kind: 'status', status, body, headers });
    return this;
  }

  createThenDropNext(): this {
    this.faults.push({ kind: 'create-then-drop' });
    return this;
  }

  delayNext(ms: number): this {
    this.faults.push({ kind: 'delay', ms });
    return this;
  }

  /** Creates the issue, then never answers (until stop()): an emission left in mid-air. */
  hangNext(): this {
    this.faults.push({ kind: 'hang' });
    return this;
  }

  /**
   * From now on, a share of creates answered 503 before creating anything, and a share created and
   * then left without an answer (the connection dropped): what a flaky network and server give.
   */
  chaosOn(shares: { unavailable: number; lost: number }, seed = 1): this {
    this.chaos = { ...shares, random: seededRandom(seed) };
    return this;
  }

  chaosOff(): this {
    this.chaos = undefined;
    return this;
  }

  /** The distinct Idempotency-Keys issue-core created an issue for. */
  get keysCreated(): string[] {
    return [...this.issues.keys()];
  }

  answerWithoutIssueIdNext(): this {
    this.faults.push({ kind: 'no-issue-id' });
    return this;
  }

  async start(port = this.port): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stops answering (the port is kept, so start() brings the same URL back). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep the raw text
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    if (req.method === 'GET' && url.pathname === '/health') return send(this.healthStatus, { status: 'ok' });
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`) {
      return send(401, { detail: 'invalid token' });
    }
    if (req.method === 'GET' && url.pathname === '/issues/') return send(200, { items: [], total: this.issues.size });
    if (req.method === 'POST' && url.pathname === '/issues/') return this.create(req, res, body, send);
    return send(404, { detail: 'not found' });
  }

  private chaosFault(): Fault | undefined {
    if (!this.chaos) return undefined;
    const draw = this.chaos.random();
    if (draw < this.chaos.unavailable) return { kind: 'status', status: 503, body: { detail: 'chaos: unavailable' } };
    if (draw < this.chaos.unavailable + this.chaos.lost) return { kind: 'create-then-drop' };
    return undefined;
  }

  private async create(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    send: (status: number, payload?: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    const fault = this.faults.shift() ?? this.chaosFault();
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'status') return send(fault.status, fault.body ?? { detail: 'fault' }, fault.headers);
    if (this.createStatus !== undefined) return send(this.createStatus, { detail: `create answered ${this.createStatus}` });
    const key = String(req.headers['idempotency-key'] ?? '');
    if (!key || key.length > this.maxKeyLength) return send(400, { detail: `Idempotency-Key must be 1 to ${this.maxKeyLength} characters` });
    let issue = this.issues.get(key);
    const created = !issue;
    if (!issue) {
      issue = { issue_id: `ISS-${this.issues.size + 1}`, idempotencyKey: key, payload: body as Record<string, unknown> };
      this.issues.set(key, issue);
    }
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'create-then-drop') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'no-issue-id') return send(201, { ok: true });
    send(created ? 201 : 200, {
      issue_id: issue.issue_id,
      issue_url: `${this.url}/issues/${issue.issue_id}`,
      backend: 'fake',
    });
  }
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32: enough for fault injection, and the same sequence for the same seed.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
