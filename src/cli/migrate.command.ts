import { Command, CommandRunner } from 'nest-commander';
import { runMigrations } from '../database/migrate';
import { print } from './cli-output';
import { CommandDatabase } from './command-database.module';

@Command({ name: 'migrate', description: 'Apply pending database migrations (the service also does at start-up)' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly database: CommandDatabase) {
    super();
  }

  async run(): Promise<void> {
    const applied = await runMigrations(await this.database.connect());
    print(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
  }
}
