// Why an event fired, and why not: every candidate rule re-evaluated with the inputs it saw
// (`now` = when the event was taken in), beside the decision rows the spawn log holds for it.
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EventsRepository } from '../events/events.repository';
import { INVALID_TASK_SPEC } from '../rules/evaluate';
import { EventEvaluationService } from '../rules/event-evaluation.service';
import { SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import { ScheduleRulesExplainer } from './schedule-rules.explainer';

@Injectable()
export class ExplainService {
  constructor(
    private readonly events: EventsRepository,
    private readonly evaluation: EventEvaluationService,
    private readonly spawnLog: SpawnLogRepository,
    private readonly scheduleRules: ScheduleRulesExplainer,
  ) {}

  async explain(id: string, source?: string) {
    const found = await this.events.findById(id, source);
    if (found.length === 0) throw new NotFoundException(`no stored event with id ${id}${source ? ` from ${source}` : ''}`);
    if (found.length > 1) {
      throw new ConflictException(`event id ${id} is stored from several sources (${found.map((e) => e.source).join(', ')}): add ?source=`);
    }
    const [stored] = found;
    // This event's decisions only: another source's event with the same id has its own.
    const rows = await this.spawnLog.findByEvents([stored]);
    const candidates = this.evaluation.evaluate(stored.envelope, stored.received_at).map(({ definition, outcome }) => ({
      key: definition.key,
      definition_hash: definition.hash,
      enabled: definition.enabled,
      condition: definition.condition.source,
      matched: outcome.matched,
      reason: outcome.matched ? (outcome.decision.invalid ? INVALID_TASK_SPEC : 'condition_matched') : outcome.reason,
      error: outcome.matched ? outcome.decision.invalid : outcome.error,
      evaluation: outcome.evaluation,
      decision: rows.find((row) => row.activity_definition_id === definition.id) ?? null,
    }));
    const explained = new Set(candidates.map((c) => c.decision?.id).filter(Boolean));
    return {
      event: {
        source: stored.source,
        id: stored.id,
        type: stored.type,
        subject: stored.subject,
        time: stored.time,
        received_at: stored.received_at,
        transport: stored.transport,
      },
      evaluated_at: stored.received_at,
      candidates,
      schedule_rules: await this.scheduleRules.explain(stored),
      // Rows of rules no longer loaded, or whose id changed: the audit trail keeps them.
      other_decisions: rows.filter((row) => !explained.has(row.id)),
    };
  }
}
