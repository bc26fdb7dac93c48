// Explain, for schedule rules: every rule whose scope (`latest_of`) reads the event's type, the
// decisions whose evaluation used this event (ticks and backfills), and whether the next tick
// would read it (it is the latest of its subject, its time has come, the rule is enabled).
import { Injectable } from '@nestjs/common';
import { EventsRepository, StoredEvent } from '../events/events.repository';
import { DefinitionsService } from '../rules/definitions.service';
import { ruleScheduleId } from '../rules/schedule-reconciler.service';
import { SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import type { TaskSpawnLog } from '../spawn-log/task-spawn-log.entity';

export interface ScheduleRuleExplanation {
  key: string;
  definition_hash: string;
  enabled: boolean;
  schedule_id: string;
  condition: string;
  latest_of_subject: boolean;
  read_by_next_tick: boolean;
  why: string;
  decisions: TaskSpawnLog[];
}

@Injectable()
export class ScheduleRulesExplainer {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly events: EventsRepository,
    private readonly spawnLog: SpawnLogRepository,
  ) {}

  async explain(stored: StoredEvent, now = new Date()): Promise<ScheduleRuleExplanation[]> {
    const rules = this.definitions.all().filter((d) => d.trigger.kind === 'schedule' && d.scope?.latestOf === stored.type);
    if (rules.length === 0) return [];
    const rows = await this.spawnLog.findByEvaluatedEvent(
      stored.id,
      rules.map((d) => d.id),
    );
    const latest = stored.subject ? await this.events.latestOfSubject(stored.type, stored.subject, now) : null;
    const isLatest = latest !== null && latest.source === stored.source && latest.id === stored.id;
    const readWhy = !stored.subject
      ? 'the event has no subject: ticks read only events with one'
      : new Date(stored.time) > now
        ? `its time (${new Date(stored.time).toISOString()}) is after now: ticks read it from then on, while it is the latest of ${stored.subject}`
        : isLatest
          ? `it is the latest ${stored.type} of ${stored.subject}`
          : `a later ${stored.type} of ${stored.subject} is stored (id ${latest?.id} from ${latest?.source})`;
    return rules.map((definition) => ({
      key: definition.key,
      definition_hash: definition.hash,
      enabled: definition.enabled,
      schedule_id: ruleScheduleId(definition.key),
      condition: definition.condition.source,
      latest_of_subject: isLatest,
      read_by_next_tick: isLatest && definition.enabled,
      why: definition.enabled ? readWhy : `the rule is disabled; ${readWhy}`,
      // Same event id from another source: a decision records only the id, so keep the ones of this event's subject.
      decisions: rows.filter((row) => row.activity_definition_id === definition.id && (row.evaluation.subject ?? null) === (stored.subject ?? null)),
    }));
  }
}
