// Every migration, in order. The schema comes only from here; `synchronize` stays off.
import { CreateTaskSpawnLog1764250000000 } from './1764250000000-create-task-spawn-log';

export const MIGRATIONS = [CreateTaskSpawnLog1764250000000];
