// Replay's comparison (pure): decisions the definitions on disk would take now for stored events,
// against what the spawn log holds for those events.
import type { TaskSpawnLog } from '../spawn-log/task-spawn-log.entity';
import type { DecisionDraft } from './evaluate';

export interface ReplayDiff {
  /** Would be decided now and are not in the spawn log. */
  added: DecisionDraft[];
  /** In the spawn log, and would no longer be decided. */
  removed: TaskSpawnLog[];
  unchanged: number;
}

const keyOf = (definitionId: string, dedupeKey: string) => `${definitionId}\u0000${dedupeKey}`;

export function diffDecisions(wouldBe: DecisionDraft[], recorded: TaskSpawnLog[]): ReplayDiff {
  const recordedKeys = new Set(recorded.map((row) => keyOf(row.activity_definition_id, row.dedupe_key)));
  const wouldBeKeys = new Set(wouldBe.map((draft) => keyOf(draft.definition.id, draft.dedupeKey)));
  const added = wouldBe.filter((draft) => !recordedKeys.has(keyOf(draft.definition.id, draft.dedupeKey)));
  const removed = recorded.filter((row) => !wouldBeKeys.has(keyOf(row.activity_definition_id, row.dedupe_key)));
  return { added, removed, unchanged: wouldBe.length - added.length };
}
