// How the API and the CLI show a loaded definition.
import type { ActivityDefinition } from './definition.types';
import { ruleScheduleId } from './schedule-reconciler.service';

export function definitionView(definition: ActivityDefinition) {
  return {
    key: definition.key,
    id: definition.id,
    hash: definition.hash,
    file: definition.file,
    description: definition.description,
    enabled: definition.enabled,
    trigger: definition.trigger,
    schedule_id: definition.trigger.kind === 'schedule' ? ruleScheduleId(definition.key) : null,
    scope: definition.scope ? { latest_of: definition.scope.latestOf } : null,
    condition: definition.condition.source,
    task: definition.source.task,
    dedupe_key: definition.dedupeKey?.source ?? null,
    limits: definition.limits ? { max_spawns: definition.limits.maxSpawns, per: definition.limits.per } : null,
  };
}
