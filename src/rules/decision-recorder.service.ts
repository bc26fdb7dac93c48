// Turns matched drafts into task_spawn_log rows, applying each rule's flood guard: decisions over
// `limits` are recorded as suppressed with the reason, and never emitted.
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { compareKeys } from '../common/key-order';
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

  /** Indexes of the drafts beyond their rule's budget; the count serialises each rule's recording. */
  private async overLimit(drafts: DecisionDraft[], manager: EntityManager): Promise<Set<number>> {
    const over = new Set<number>();
    const byRule = new Map<string, number[]>();
    drafts.forEach((draft, i) => {
      if (!draft.definition.limits || draft.invalid) return;
      byRule.set(draft.definition.id, [...(byRule.get(draft.definition.id) ?? []), i]);
    });
    // Each rule's budget is locked in rule order, so two batches (or replicas) never wait on each other in a circle.
    for (const [definitionId, indexes] of [...byRule].sort(([a], [b]) => compareKeys(a, b))) {
      const limits = drafts[indexes[0]].definition.limits as NonNullable<DecisionDraft['definition']['limits']>;
      const spent = await this.spawnLog.lockAndCountBudgetSpent(definitionId, limits.perMs, manager);
      indexes.slice(Math.max(0, limits.maxSpawns - spent)).forEach((i) => over.add(i));
    }
    return over;
  }
}
