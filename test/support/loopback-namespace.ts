// A command run in a network namespace of its own with only loopback up, as on a machine where
// nothing else runs: the machine's own Postgres and NATS are out of its sight. The test reaches the
// namespace's ports through a bridge inside it (Unix sockets, shared with the file system) and tells
// every process of the namespace apart from the machine's by its namespace.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './poll';
import { TcpProxy } from './tcp-proxy';

export interface NamespaceProcess {
  pid: number;
  command: string;
}

export class LoopbackNamespace {
  output = '';
  private child?: ChildProcess;
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private namespace?: string;
  private bridge?: ChildProcess;
  private readonly proxies: TcpProxy[] = [];
  private readonly socketDir = mkdtempSync(join(tmpdir(), 'ac-netns-'));

  constructor(
    private readonly command: string[],
    private readonly options: { cwd: string; env: NodeJS.ProcessEnv },
  ) {}

  start(): this {
    const child = spawn('unshare', ['--net', '--', 'bash', '-c', 'ip link set lo up && exec "$@"', 'netns', ...this.command], {
      ...this.options,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-40_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child = child;
    return this;
  }

  /** Waits until the command runs in its own namespace (unshare has run), and remembers which. */
  async entered(): Promise<void> {
    const own = readlinkSync('/proc/self/ns/net');
    this.namespace = await eventually(
      () => {
        const namespace = readlinkSync(`/proc/${this.child?.pid}/ns/net`);
        return namespace !== own ? namespace : undefined;
      },
      'the command to enter its network namespace',
      10_000,
      20,
    );
  }

  /** Host ports (127.0.0.1) forwarding to the given ports of the namespace's loopback. */
  async expose(...ports: number[]): Promise<Record<number, number>> {
    this.bridge = spawn(
      'nsenter',
      [`--net=/proc/${this.child?.pid}/ns/net`, '--', process.execPath, join(__dirname, 'namespace-bridge.js'), this.socketDir, ...ports.map(String)],
      { stdio: 'ignore' },
    );
    const exposed: Record<number, number> = {};
    for (const port of ports) {
      const socket = join(this.socketDir, `${port}.sock`);
      await eventually(() => existsSync(socket), `the bridge to listen for port ${port}`, 10_000, 20);
      const proxy = await TcpProxy.toUnixSocket(socket).start();
      this.proxies.push(proxy);
      exposed[port] = proxy.port;
    }
    return exposed;
  }

  /** Every process in the namespace, the test's bridge aside. */
  processes(): NamespaceProcess[] {
    const found: NamespaceProcess[] = [];
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid === this.bridge?.pid) continue;
      try {
        if (readlinkSync(`/proc/${pid}/ns/net`) !== this.namespace) continue;
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        found.push({ pid, command });
      } catch {
        // gone while we looked
      }
    }
    return found;
  }

  /** Rejects when the command ends: raced against a wait, it stops the wait at once. */
  async failOnExit(): Promise<never> {
    await this.exit;
    throw new Error(`the command ended:\n${this.output.slice(-3000)}`);
  }

  /** How the command ended, failing after timeoutMs with the end of its output. */
  async exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms:\n${this.output.slice(-3000)}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exit as NonNullable<typeof this.exit>, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async closeBridge(): Promise<void> {
    await Promise.all(this.proxies.splice(0).map((proxy) => proxy.stop()));
    if (this.bridge && this.bridge.exitCode === null && this.bridge.signalCode === null) {
      const gone = new Promise((resolve) => this.bridge?.once('exit', resolve));
      this.bridge.kill('SIGTERM');
      await gone;
    }
  }

  /** Leaves nothing behind, whatever state the test ended in. */
  async destroy(): Promise<void> {
    await this.closeBridge();
    if (this.namespace) for (const { pid } of this.processes()) process.kill(pid, 'SIGKILL');
    rmSync(this.socketDir, { recursive: true, force: true });
  }
}
