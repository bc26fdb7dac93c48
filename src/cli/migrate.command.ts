import { Inject } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { runMigrations } from '../database/migrate';
import { print } from './cli-output';
import { withDataSource } from './with-data-source';

@Command({ name: 'migrate', description: 'Apply pending database migrations (the service also does at start-up)' })
export class MigrateCommand extends CommandRunner {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async run(): Promise<void> {
    const applied = await withDataSource(this.config.databaseUrl, runMigrations);
    print(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
  }
}
