// The current Temporal `Client` (workflows and schedules), connected in the background with
// backoff so the service boots, serves HTTP and records decisions while Temporal is down.
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { ConfigType } from '@nestjs/config';
import { temporalConfig } from '../config/namespaces';
import { connectWithBackoff } from '../common/backoff';
import { InFlightCalls } from './in-flight-calls';

const CLOSE_WAIT_MS = 5_000;

export class TemporalUnavailableError extends Error {
  readonly code = 'TEMPORAL_UNAVAILABLE';
}

@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  private readonly logger = new Logger('TemporalClient');
  private readonly stop = new AbortController();
  private connection?: Connection;
  private current?: Client;
  private attempts = 0;
  private lastError?: string;
  private readonly waiters: Array<(client: Client) => void> = [];
  private readonly inFlight = new InFlightCalls();
  private connecting?: Promise<void>;

  constructor(@Inject(temporalConfig.KEY) private readonly temporal: ConfigType<typeof temporalConfig>) {}

  /** Starts connecting in the background (the service at start-up, a command when it needs Temporal); once. */
  connect(): void {
    this.connecting ??= this.connectLoop();
  }

  /** The client, or TemporalUnavailableError while not (yet) connected. */
  get client(): Client {
    if (!this.current) {
      throw new TemporalUnavailableError(`Temporal at ${this.temporal.address} is not connected${this.describeLastError()}`);
    }
    return this.current;
  }

  get connected(): boolean {
    return this.current !== undefined;
  }

  /** Resolves once connected (used by the worker and schedule reconciliation). */
  whenConnected(): Promise<Client> {
    return this.current ? Promise.resolve(this.current) : new Promise((resolve) => this.waiters.push(resolve));
  }

  describeState(): string {
    return this.current ? 'connected' : `connecting (attempt ${this.attempts}${this.describeLastError()})`;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.inFlight.settled(CLOSE_WAIT_MS);
    await this.connection?.close().catch(() => undefined);
  }

  private describeLastError(): string {
    return this.lastError ? `; last error: ${this.lastError}` : '';
  }

  private async connectLoop(): Promise<void> {
    const { address, namespace } = this.temporal;
    const connection = await connectWithBackoff(
      () => {
        this.attempts++;
        return Connection.connect({ address, connectTimeout: 3_000, interceptors: this.inFlight.interceptors() });
      },
      this.stop.signal,
      (attempt, error, delay) => {
        this.lastError = error.message;
        this.logger.warn(`Temporal at ${address} unreachable (attempt ${attempt}): ${error.message}; retrying in ${delay} ms`);
      },
    );
    if (!connection) return;
    if (this.stop.signal.aborted) {
      await connection.close();
      return;
    }
    this.connection = connection;
    this.current = new Client({ connection, namespace });
    this.logger.log(`connected to Temporal at ${address} (namespace ${namespace})`);
    this.waiters.splice(0).forEach((resolve) => resolve(this.current as Client));
  }
}
