import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { parseDecimalInteger, parseId, parseTime } from '../common/input-parsers';
import { LIMIT } from '../spawn-log/spawn-log.dto';
import { SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import { SPAWN_STATUSES, SpawnStatus } from '../spawn-log/task-spawn-log.entity';
import { EXIT, print, printError } from './cli-output';
import { CommandDatabase } from './command-database.module';
import { RETRY_USAGE, SpawnLogRetryCommand } from './spawn-log-retry.command';

interface ListOptions {
  sourceId?: string;
  status?: string;
  since?: string;
  limit?: number;
}

@SubCommand({ name: 'list', description: 'Decisions, newest first' })
export class SpawnLogListCommand extends CommandRunner {
  constructor(
    private readonly database: CommandDatabase,
    private readonly spawnLog: SpawnLogRepository,
  ) {
    super();
  }

  async run(_args: string[], options: ListOptions): Promise<void> {
    if (options.status && !SPAWN_STATUSES.includes(options.status as SpawnStatus)) {
      printError(`--status must be one of: ${SPAWN_STATUSES.join(', ')}`);
      process.exitCode = EXIT.invalid;
      return;
    }
    const parsedSince = options.since === undefined ? undefined : parseTime('--since', options.since);
    if (parsedSince && !parsedSince.ok) {
      printError(parsedSince.problem);
      process.exitCode = EXIT.invalid;
      return;
    }
    const since = parsedSince?.value;
    await this.database.connect();
    const page = await this.spawnLog.list({ source_id: options.sourceId, status: options.status as SpawnStatus, since, limit: options.limit ?? 50 });
    for (const row of page.items) {
      print([row.created_at.toISOString(), row.status.padEnd(10), row.source_id, row.dedupe_key, row.task_ref ?? '-', row.id].join('  '));
    }
    print(`${page.items.length} decision(s)${page.next_cursor ? ' (more: narrow with --since or raise --limit)' : ''}`);
  }

  @Option({ flags: '--source-id <key>', description: 'definition key' })
  parseSourceId(value: string): string {
    const key = parseId('--source-id', value);
    if (!key.ok) throw new Error(key.problem);
    return key.value;
  }

  @Option({ flags: '--status <status>', description: SPAWN_STATUSES.join(' | ') })
  parseStatus(value: string): string {
    return value;
  }

  @Option({ flags: '--since <iso>', description: 'created at or after' })
  parseSince(value: string): string {
    return value;
  }

  @Option({ flags: '--limit <n>', description: '1 to 200 (default 50)' })
  parseLimit(value: string): number {
    const limit = parseDecimalInteger('--limit', value, LIMIT.min, LIMIT.max);
    if (!limit.ok) throw new Error(limit.problem);
    return limit.value;
  }
}

@Command({ name: 'spawn-log', description: 'Read the audit trail; send failed decisions again', subCommands: [SpawnLogListCommand, SpawnLogRetryCommand] })
export class SpawnLogCommand extends CommandRunner {
  async run(): Promise<void> {
    printError('usage: activity-core spawn-log list [--source-id KEY] [--status STATUS] [--since ISO] [--limit N]');
    printError(`       ${RETRY_USAGE.replace('usage: ', '')}`);
    process.exitCode = EXIT.invalid;
  }
}
