// The Postgres connection of one CLI run, for the repositories the commands take from the
// container: opened by the first command that needs it, closed when the run ends. Commands that
// need no database (definitions validate, definitions test) never open it.
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { databaseConfig } from '../config/namespaces';
import { dataSourceOptions } from '../database/data-source-options';

@Injectable()
export class CommandDatabase implements OnApplicationShutdown {
  /** Not connected until connect(): the repositories built on it work from then on. */
  readonly dataSource: DataSource;
  private opening?: Promise<DataSource>;

  constructor(@Inject(databaseConfig.KEY) database: ConfigType<typeof databaseConfig>) {
    this.dataSource = new DataSource(dataSourceOptions(database.url));
  }

  /** One attempt, no retry: a command reports an unreachable database rather than waiting for it. */
  connect(): Promise<DataSource> {
    this.opening ??= this.dataSource.initialize();
    return this.opening;
  }

  async onApplicationShutdown(): Promise<void> {
    // A connection still opening (a check that ran out of time) is closed too, once it settles.
    await this.opening?.catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Global()
@Module({
  providers: [CommandDatabase, { provide: DataSource, inject: [CommandDatabase], useFactory: (database: CommandDatabase) => database.dataSource }],
  exports: [CommandDatabase, DataSource],
})
export class CommandDatabaseModule {}
