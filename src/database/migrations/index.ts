// Every migration, in order. The schema comes only from here; `synchronize` stays off.
import { CreateTaskSpawnLog1764250000000 } from './1764250000000-create-task-spawn-log';
import { CreateEvents1764250100000 } from './1764250100000-create-events';
import { SpawnLogWorkflowChecks1764310000000 } from './1764310000000-spawn-log-workflow-checks';

export const MIGRATIONS = [CreateTaskSpawnLog1764250000000, CreateEvents1764250100000, SpawnLogWorkflowChecks1764310000000];
