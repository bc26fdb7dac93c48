import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { AppConfigModule } from '../config/config.module';
import { DefinitionsCommand, TestDefinitionCommand, ValidateDefinitionsCommand } from './definitions.command';
import { MigrateCommand } from './migrate.command';
import { PreflightCommand } from './preflight.command';
import { ProgramName } from './program-name';
import { ReplayCommand } from './replay.command';
import { SpawnLogCommand, SpawnLogListCommand } from './spawn-log.command';
import { SpawnLogRetryCommand } from './spawn-log-retry.command';
import { SchedulesCommand, SchedulesPruneCommand } from './schedules.command';

const COMMANDS = [
  DefinitionsCommand,
  ValidateDefinitionsCommand,
  TestDefinitionCommand,
  MigrateCommand,
  SpawnLogCommand,
  SpawnLogListCommand,
  SpawnLogRetryCommand,
  SchedulesCommand,
  SchedulesPruneCommand,
  PreflightCommand,
  ReplayCommand,
];

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [AppConfigModule.forRoot(config)], providers: [...COMMANDS, ProgramName] };
  }
}
