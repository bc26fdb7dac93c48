// `activity-core spawn-log retry <id>` / `--status failed --since ISO`: send failed decisions again.
// The same workflow id and Idempotency-Key as before, so a decision issue-core already took stays one issue.
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { SpawnRecoveryService } from '../spawn/spawn-recovery.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { timeBox } from '../common/time-box';
import { EXIT, print, printError } from './cli-output';
import { CommandDatabase } from './command-database.module';

const CONNECT_BUDGET_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const RETRY_USAGE = 'usage: activity-core spawn-log retry <id>... | --status failed --since ISO';

interface RetryOptions {
  status?: string;
  since?: string;
}

@SubCommand({ name: 'retry', arguments: '[ids...]', description: 'Send failed decisions again (by id, or --status failed --since ISO)' })
export class SpawnLogRetryCommand extends CommandRunner {
  constructor(
    private readonly database: CommandDatabase,
    private readonly temporal: TemporalClientService,
    private readonly recovery: SpawnRecoveryService,
  ) {
    super();
  }

  async run(ids: string[], options: RetryOptions): Promise<void> {
    const filter = this.filterOf(ids, options);
    if (typeof filter === 'string') {
      printError(filter);
      process.exitCode = EXIT.invalid;
      return;
    }
    this.temporal.connect();
    // Temporal down: the rows are reopened all the same, and the sweep starts them once it is back.
    await timeBox(this.temporal.whenConnected(), CONNECT_BUDGET_MS, 'Temporal').catch(() => undefined);
    await this.database.connect();
    const report = await this.recovery.retryFailed(filter);
    const left = report.reopened - report.requested;
    print(`${report.reopened} failed decision(s) sent again; ${report.requested} workflow(s) requested` + (left ? `, ${left} left for the sweep` : ''));
    if (report.stillClosing) {
      printError(`${report.stillClosing} decision(s) left failed: their last run is still closing; run the command again`);
      process.exitCode = EXIT.failed;
    }
    if (ids.length > 0 && report.reopened + report.stillClosing < ids.length) {
      printError(`${ids.length - report.reopened} of the ids given are not failed decisions: nothing done for them`);
      process.exitCode = EXIT.failed;
    }
  }

  private filterOf(ids: string[], options: RetryOptions): { ids?: string[]; since?: Date } | string {
    if (ids.length > 0) {
      if (options.status || options.since) return RETRY_USAGE;
      const bad = ids.filter((id) => !UUID.test(id));
      return bad.length ? `not a decision id: ${bad.join(', ')}` : { ids };
    }
    if (options.status !== 'failed' || !options.since) return RETRY_USAGE;
    const since = new Date(options.since);
    return Number.isNaN(since.getTime()) ? '--since must be an ISO 8601 date-time' : { since };
  }

  @Option({ flags: '--status <status>', description: 'failed (the only status that is sent again)' })
  parseStatus(value: string): string {
    return value;
  }

  @Option({ flags: '--since <iso>', description: 'failed decisions created at or after' })
  parseSince(value: string): string {
    return value;
  }
}
