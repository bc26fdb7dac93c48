// Postgres through TypeORM: entities, migrations, never `synchronize`.
import type { DataSourceOptions } from 'typeorm';
import { TaskSpawnLog } from '../spawn-log/task-spawn-log.entity';
import { MIGRATIONS } from './migrations';

export const ENTITIES = [TaskSpawnLog];

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: false,
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}
