// Hosts the Temporal worker on @temporalio/worker directly: connects with backoff after the app
// is up, awaits worker.run() (a failure ends the process through Nest's shutdown), and drains
// in-flight activities on SIGTERM before closing its connection.
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DefaultLogger, LogEntry, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { ConfigType } from '@nestjs/config';
import { temporalConfig } from '../config/namespaces';
import { ProcessLifecycle } from '../common/process-lifecycle';
import { ActivityFunction, ActivityRegistry } from './activity-registry';
import { connectWithBackoff } from '../common/backoff';
import { workflowCode } from './workflow-code';

const sdkLogger = new Logger('TemporalSDK');

/** The SDK's own log entries, as one JSON line each through the service logger. */
function logToNest(entry: LogEntry): void {
  const meta = entry.meta ?? {};
  const error = meta.error as Error | undefined;
  const context = ['workflowType', 'workflowId', 'activityType', 'attempt']
    .filter((key) => meta[key] !== undefined)
    .map((key) => `${key}=${String(meta[key])}`)
    .join(' ');
  const line = `${entry.message}${context ? ` (${context})` : ''}${error ? `: ${error.message}` : ''}`;
  if (entry.level === 'ERROR') sdkLogger.error(line);
  else sdkLogger.warn(line);
}

let runtimeInstalled = false;
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    // No signal handlers of Temporal's own: SIGTERM goes through Nest's shutdown hooks.
    // Its native logs are forwarded too, so everything leaves as one JSON line per entry.
    Runtime.install({
      shutdownSignals: [],
      logger: new DefaultLogger('WARN', logToNest),
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // Already installed in this process (several apps in one test process): keep that one.
  }
}

export type WorkerState = 'CONNECTING' | ReturnType<Worker['getState']>;

@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('TemporalWorker');
  private readonly stop = new AbortController();
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;
  private lastError?: string;

  constructor(
    @Inject(temporalConfig.KEY) private readonly temporal: ConfigType<typeof temporalConfig>,
    private readonly registry: ActivityRegistry,
    private readonly lifecycle: ProcessLifecycle,
  ) {}

  get state(): WorkerState {
    return this.worker?.getState() ?? 'CONNECTING';
  }

  describeState(): string {
    return this.worker ? this.worker.getState() : `connecting${this.lastError ? ` (last error: ${this.lastError})` : ''}`;
  }

  onApplicationBootstrap(): void {
    // Collected now so a duplicate activity name refuses to boot.
    const activities = this.registry.collect();
    this.running = this.startWorker(activities).catch((error: Error) => {
      if (!this.stop.signal.aborted) this.lifecycle.fatal(error, 'Temporal worker');
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    const worker = this.worker;
    if (worker && (worker.getState() === 'RUNNING' || worker.getState() === 'INITIALIZED')) {
      this.logger.log('draining the worker: polling stops, in-flight activities finish');
      if (worker.getState() === 'INITIALIZED') {
        await worker.runUntil(Promise.resolve()).catch(() => undefined);
      } else {
        worker.shutdown();
      }
    }
    await this.running;
    await this.connection?.close().catch(() => undefined);
  }

  private async startWorker(activities: Record<string, ActivityFunction>): Promise<void> {
    installRuntime();
    const { address, namespace, taskQueue } = this.temporal;
    const connection = await connectWithBackoff(
      () => NativeConnection.connect({ address }),
      this.stop.signal,
      (attempt, error, delay) => {
        this.lastError = error.message;
        this.logger.warn(`worker cannot reach Temporal at ${address} (attempt ${attempt}): ${error.message}; retrying in ${delay} ms`);
      },
    );
    if (!connection) return;
    this.connection = connection;
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      activities,
      ...workflowCode(),
      shutdownGraceTime: '20 seconds',
    });
    if (this.stop.signal.aborted) {
      // Shut down while it was being built: a worker never run must still release its native side.
      await worker.runUntil(Promise.resolve());
      return;
    }
    this.worker = worker;
    this.logger.log(`worker polling ${taskQueue} (namespace ${namespace}) with activities: ${Object.keys(activities).join(', ')}`);
    await worker.run();
    if (!this.stop.signal.aborted) throw new Error('the worker stopped without being asked to');
  }
}
