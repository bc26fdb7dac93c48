import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source-options';

/** A short-lived Postgres connection for one command. */
export async function withDataSource<T>(databaseUrl: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
