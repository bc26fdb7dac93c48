// Turns matched drafts into task_spawn_log rows, applying each rule's flood guard: decisions over
// `limits` are recorded as suppressed with the reason, and never emitted.
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SINK_SELECTOR } from '../emission/emission.tokens';
import type { SinkSelector } from '../emission/sink.interface';
import { MetricsService } from '../metrics/metrics.service';
import { NewDecision, RecordedDecision, SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import { DecisionDraft, INVALID_TASK_SPEC } from './evaluate';

export const RATE_LIMITED = 'rate_limited';

@Injectable()
export class DecisionRecorder {
  constructor(
    private readonly spawnLog: SpawnLogRepository,
    @Inject(SINK_SELECTOR) private readonly sinks: SinkSelector,
    private readonly metrics: MetricsService,
  ) {}

  /** Records the drafts inside the caller's transaction (the one that stored the event). */
  async record(drafts: DecisionDraft[], manager: EntityManager): Promise<RecordedDecision[]> {
    if (drafts.length === 0) return [];
    const suppressed = await this.overLimit(drafts, manager);
    const rows = drafts.map((draft, i) => this.toRow(draft, suppressed.has(i)));
    const recorded = await this.spawnLog.recordDecisions(rows, manager);
    for (const { row, created } of recorded) {
      if (created) this.metrics.decisions.inc({ rule: row.source_id, status: row.status, mode: row.sink_type });
    }
    return recorded;
  }

  /** Pending; suppressed with the limit that held it; or invalid (never emitted) with why. */
  private toRow(draft: DecisionDraft, suppressed: boolean): NewDecision {
    const row = {
      activity_definition_id: draft.definition.id,
      source_id: draft.definition.key,
      triggering_event_id: draft.triggeringEventId,
      dedupe_key: draft.dedupeKey,
      condition: draft.definition.condition.source,
      definition_hash: draft.definition.hash,
      evaluation: draft.evaluation,
      task_spec: draft.taskSpec,
      sink_type: this.sinks.sinkFor(draft.definition.key).type,
      workflow_id: draft.workflowId,
    };
    if (draft.invalid) return { ...row, reason: INVALID_TASK_SPEC, status: 'invalid', error: draft.invalid };
    if (suppressed) {
      const limit = `${draft.definition.limits?.maxSpawns} per ${draft.definition.limits?.per}`;
      return { ...row, reason: RATE_LIMITED, status: 'suppressed', evaluation: { ...draft.evaluation, limit } };
    }
    return { ...row, reason: 'condition_matched', status: 'pending' };
  }

  /** Indexes of the drafts beyond their rule's budget; serialised per rule by an advisory lock. */
  private async overLimit(drafts: DecisionDraft[], manager: EntityManager): Promise<Set<number>> {
    const over = new Set<number>();
    const byRule = new Map<string, number[]>();
    drafts.forEach((draft, i) => {
      if (!draft.definition.limits || draft.invalid) return;
      byRule.set(draft.definition.id, [...(byRule.get(draft.definition.id) ?? []), i]);
    });
    for (const [definitionId, indexes] of byRule) {
      const limits = drafts[indexes[0]].definition.limits as NonNullable<DecisionDraft['definition']['limits']>;
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [definitionId]);
      const [{ count }] = await manager.query<Array<{ count: number }>>(
        `SELECT count(*)::int AS count FROM task_spawn_log
         WHERE activity_definition_id = $1 AND status NOT IN ('suppressed', 'invalid')
           AND created_at > now() - ($2::bigint * interval '1 millisecond')`,
        [definitionId, limits.perMs],
      );
      indexes.slice(Math.max(0, limits.maxSpawns - count)).forEach((i) => over.add(i));
    }
    return over;
  }
}
