// `activity-core replay --since ISO`: how a rule change would have decided on the events already
// stored. Writes nothing; prints the decisions that would be new and those that would go.
import { Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Command, CommandRunner, Option } from 'nest-commander';
import { parseTime } from '../common/input-parsers';
import { definitionsConfig } from '../config/namespaces';
import { EventsRepository, StoredEvent } from '../events/events.repository';
import { loadDefinitions } from '../rules/definition.loader';
import { formatLoadError } from '../rules/definition.types';
import { DecisionDraft, evaluateCandidates, matchedDecisions } from '../rules/evaluate';
import { diffDecisions } from '../rules/replay';
import { RuleIndex } from '../rules/rule-index';
import { SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import { EXIT, print, printError } from './cli-output';
import { CommandDatabase } from './command-database.module';

const PAGE = 1_000;

@Command({ name: 'replay', description: 'Re-evaluate stored events against the definitions on disk; print what would change. Writes nothing.' })
export class ReplayCommand extends CommandRunner {
  constructor(
    @Inject(definitionsConfig.KEY) private readonly source: ConfigType<typeof definitionsConfig>,
    private readonly database: CommandDatabase,
    private readonly events: EventsRepository,
    private readonly spawnLog: SpawnLogRepository,
  ) {
    super();
  }

  async run(_args: string[], options: { since?: string }): Promise<void> {
    const parsedSince = options.since === undefined ? undefined : parseTime('--since', options.since);
    if (!parsedSince || !parsedSince.ok) {
      printError(parsedSince ? parsedSince.problem : '--since ISO is required, e.g. --since 2026-11-01T00:00:00Z');
      process.exitCode = EXIT.invalid;
      return;
    }
    const since = parsedSince.value;
    const { definitions, errors } = loadDefinitions(this.source.dir);
    for (const error of errors) printError(`refused ${formatLoadError(error)}`);
    const index = new RuleIndex(definitions);
    const loadedIds = new Set(definitions.map((d) => d.id));

    const totals = { events: 0, added: 0, removed: 0, unchanged: 0 };
    await this.database.connect();
    let after: StoredEvent | null = null;
    for (;;) {
      const page: StoredEvent[] = await this.events.receivedSince(since, after && { receivedAt: after.received_at, source: after.source, id: after.id }, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1];
      totals.events += page.length;
      // As at intake: each event evaluated at the time it was taken in.
      const wouldBe: DecisionDraft[] = page.flatMap((stored) =>
        matchedDecisions(evaluateCandidates(index.candidates(stored.type), stored.envelope, stored.received_at)),
      );
      // The rows of exactly these events, by (source, id) (ticks are not stored events).
      const recorded = await this.spawnLog.findByEvents(page);
      const diff = diffDecisions(wouldBe, recorded);
      for (const draft of diff.added) print(`+ ${draft.definition.key}  ${draft.dedupeKey}  "${draft.taskSpec.title}"  (would be new)`);
      for (const row of diff.removed) {
        const why = loadedIds.has(row.activity_definition_id) ? 'condition no longer holds' : 'rule no longer loaded';
        print(`- ${row.source_id}  ${row.dedupe_key}  (row ${row.id}, ${row.status}: ${why})`);
      }
      totals.added += diff.added.length;
      totals.removed += diff.removed.length;
      totals.unchanged += diff.unchanged;
    }
    print(
      `${totals.events} stored event(s) since ${since.toISOString()}: ${totals.added} decision(s) would be new, ${totals.removed} would no longer happen, ${totals.unchanged} unchanged`,
    );
  }

  @Option({ flags: '--since <iso>', description: 'replay events received at or after this time' })
  parseSince(value: string): string {
    return value;
  }
}
