// The one path every event takes, whatever its transport: store once by (source, id), evaluate
// the new ones, record their decisions and any dead letters in one transaction; after the commit,
// request the spawns (the sweep covers a crash in between).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { classifyDatabaseError, DatabaseFailure, describeDatabaseError } from '../common/database-errors';
import { DeadLetter, eventKey, EventsRepository, firstOfEachKey, Transport } from '../events/events.repository';
import { MetricsService } from '../metrics/metrics.service';
import type { CloudEvent } from '../events/cloud-event';
import { isKeyOfEvent } from '../rules/dedupe-key';
import { EventEvaluationService } from '../rules/event-evaluation.service';
import { SpawnService } from '../spawn/spawn.service';
import type { TaskSpawnLog } from '../spawn-log/task-spawn-log.entity';

export interface StoredOutcome {
  event: CloudEvent;
  /** true when (source, id) was already stored: it was not evaluated again. */
  duplicate: boolean;
  decisions: TaskSpawnLog[];
}

export type EachOutcome = { ok: true; outcome: BatchOutcome } | { ok: false; failure: DatabaseFailure; reason: string };

export interface BatchOutcome {
  stored: StoredOutcome[];
  deadLetters: number;
  /** Requests the spawns of the decisions just committed; call after acknowledging the batch. */
  requestSpawns(): Promise<number>;
}

@Injectable()
export class IntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly evaluation: EventEvaluationService,
    private readonly spawns: SpawnService,
    private readonly metrics: MetricsService,
  ) {}

  /** Throws when Postgres fails: nothing of the batch is then stored, so it can be retried whole. */
  async ingest(events: CloudEvent[], deadLetters: DeadLetter[], transport: Transport): Promise<BatchOutcome> {
    const now = new Date();
    // The same event twice in one batch is evaluated once.
    const unique = [...firstOfEachKey(events).values()];

    // Evaluated before storing (pure): a batch that matches nothing and carries no dead letters is
    // one statement, atomic by itself, with no transaction around it.
    const drafted = this.evaluation.draftDecisions(unique, now);
    const { fresh, decisions } =
      deadLetters.length === 0 && drafted.every((d) => d.drafts.length === 0)
        ? { fresh: await this.events.insertEvents(unique, transport, undefined, now), decisions: [] }
        : await this.dataSource.transaction(async (manager) => {
            const inserted = await this.events.insertEvents(unique, transport, manager, now);
            // Only a new event's matches are recorded: a duplicate was decided when it first came.
            const drafts = drafted.flatMap((d) => (inserted.has(eventKey(d.event)) ? d.drafts : []));
            const recorded = await this.evaluation.recordDrafts(drafts, manager);
            await this.events.recordDeadLetters(deadLetters, manager);
            return { fresh: inserted, decisions: recorded };
          });

    // Each event its own decisions: the key names its source too (two sources may share an id).
    const byId = new Map<string, TaskSpawnLog[]>();
    for (const { row } of decisions) byId.set(row.triggering_event_id, [...(byId.get(row.triggering_event_id) ?? []), row]);
    const decisionsOf = (event: CloudEvent) => (byId.get(event.id) ?? []).filter((row) => isKeyOfEvent(row.dedupe_key, event));
    const claimed = new Set<string>();
    const stored = events.map((event) => {
      const key = eventKey(event);
      const duplicate = !fresh.has(key) || claimed.has(key);
      claimed.add(key);
      return { event, duplicate, decisions: duplicate ? [] : decisionsOf(event) };
    });
    const duplicates = stored.filter((outcome) => outcome.duplicate).length;
    if (stored.length > duplicates) this.metrics.events.inc({ transport, outcome: 'stored' }, stored.length - duplicates);
    if (duplicates) this.metrics.events.inc({ transport, outcome: 'duplicate' }, duplicates);
    if (deadLetters.length) this.metrics.events.inc({ transport, outcome: 'dead_letter' }, deadLetters.length);

    const created = decisions.filter((d) => d.created).map((d) => d.row);
    return { stored, deadLetters: deadLetters.length, requestSpawns: () => this.spawns.requestSpawns(created) };
  }

  /**
   * After a batch failed on something in it: each event in its own transaction (one extra round),
   * so an event Postgres refuses is refused alone. Once Postgres is unreachable the rest is not tried.
   */
  async ingestEach(events: CloudEvent[], transport: Transport): Promise<EachOutcome[]> {
    const outcomes: EachOutcome[] = [];
    let unreachable: unknown;
    for (const event of events) {
      if (unreachable) {
        outcomes.push({ ok: false, failure: 'connection', reason: describeDatabaseError(unreachable) });
        continue;
      }
      try {
        outcomes.push({ ok: true, outcome: await this.ingest([event], [], transport) });
      } catch (error) {
        const failure = classifyDatabaseError(error);
        if (failure === 'connection') unreachable = error;
        outcomes.push({ ok: false, failure, reason: describeDatabaseError(error) });
      }
    }
    return outcomes;
  }

  /** Dead letters alone (their insert holds any payload). */
  async recordDeadLetters(letters: DeadLetter[], transport: Transport): Promise<void> {
    await this.events.recordDeadLetters(letters);
    if (letters.length) this.metrics.events.inc({ transport, outcome: 'dead_letter' }, letters.length);
  }
}
