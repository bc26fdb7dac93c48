// Postgres through TypeORM: migrations, never `synchronize`. Each entity is registered by the module
// that owns it (TypeOrmModule.forFeature, loaded by DatabaseModule's autoLoadEntities); repositories
// speak SQL, so a bare DataSource built from these options (the CLI, tests, benchmarks) needs none.
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: false,
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}
