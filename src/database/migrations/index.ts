// Every migration, in order. The schema comes only from here; `synchronize` stays off.
import { CreateTaskSpawnLog1764250000000 } from './1764250000000-create-task-spawn-log';
import { CreateEvents1764250100000 } from './1764250100000-create-events';
import { HostileInput1764300000000 } from './1764300000000-hostile-input';
import { SpawnLogWorkflowChecks1764310000000 } from './1764310000000-spawn-log-workflow-checks';
import { ConsoleIndexes1764320000000 } from './1764320000000-console-indexes';
import { PartitionEvents1764330000000 } from './1764330000000-partition-events';
import { SpawnLogFilterIndexes1764330100000 } from './1764330100000-spawn-log-filter-indexes';
import { DedupeKeyDigest1764340000000 } from './1764340000000-dedupe-key-digest';

export const MIGRATIONS = [
  CreateTaskSpawnLog1764250000000,
  CreateEvents1764250100000,
  HostileInput1764300000000,
  SpawnLogWorkflowChecks1764310000000,
  ConsoleIndexes1764320000000,
  PartitionEvents1764330000000,
  SpawnLogFilterIndexes1764330100000,
  DedupeKeyDigest1764340000000,
];
