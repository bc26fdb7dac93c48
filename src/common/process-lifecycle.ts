// How a background failure ends the process: through Nest's shutdown, then a non-zero exit.
import { Injectable, Logger } from '@nestjs/common';

type FatalHandler = (error: Error) => void | Promise<void>;

@Injectable()
export class ProcessLifecycle {
  private readonly logger = new Logger('ProcessLifecycle');
  private handler?: FatalHandler;
  private failed?: Error;

  /** main.ts registers the handler that closes the app and exits 1. */
  onFatal(handler: FatalHandler): void {
    this.handler = handler;
  }

  get fatalError(): Error | undefined {
    return this.failed;
  }

  fatal(error: Error, source: string): void {
    if (this.failed) return;
    this.failed = error;
    this.logger.error(`${source} failed; shutting down: ${error.message}`, error.stack);
    void this.handler?.(error);
  }
}
