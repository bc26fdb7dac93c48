// The built service as a child process, for kill and signal tests.
import { ChildProcess, spawn } from 'node:child_process';
import { BUILT_MAIN } from './build';
import { eventually } from './poll';

export class ServiceProcess {
  private child?: ChildProcess;
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output = '';

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): this {
    this.output = '';
    const child = spawn(process.execPath, [BUILT_MAIN], {
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child = child;
    return this;
  }

  async waitReady(timeoutMs = 45_000): Promise<void> {
    await eventually(
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`service exited: ${this.output.slice(-2000)}`);
        return (await fetch(`${this.url}/health/ready`)).status === 200;
      },
      'the service to be ready',
      timeoutMs,
      100,
    );
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** How the process ended: an exit code, or the signal that ended it. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit ?? Promise.resolve({ code: null, signal: null });
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited();
    }
  }
}
