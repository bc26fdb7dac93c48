// The trivial issue-core the live benchmark emits to: on loopback, answering at once, one issue
// per Idempotency-Key. Only the time of our own path is measured, not that of a real tracker.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export class LoopbackIssueCore {
  readonly issues = new Map<string, string>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LoopbackIssueCore> {
    const server = createServer((req, res) => self.answer(req, res));
    const self = new LoopbackIssueCore(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/health') return send(200, { status: 'ok' });
      if (req.method === 'GET' && path === '/issues/') return send(200, { items: [], total: this.issues.size });
      if (req.method !== 'POST' || path !== '/issues/') return send(404, { detail: 'not found' });
      const key = String(req.headers['idempotency-key'] ?? '');
      const existing = this.issues.get(key);
      const issueId = existing ?? `ISS-${this.issues.size + 1}`;
      this.issues.set(key, issueId);
      send(existing ? 200 : 201, { issue_id: issueId, backend: 'loopback' });
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
