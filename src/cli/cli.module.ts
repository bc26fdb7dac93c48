// The `activity-core` command's Nest container (nest-commander builds it): the configuration, the
// commands, and the collaborators they take from it. Nothing here connects at start: a command
// opens Postgres (CommandDatabase) or Temporal (TemporalClientService.connect) when it needs them,
// so `definitions validate` needs neither. The service's start-up hooks live in its own modules
// (RulesModule, TemporalModule, DatabaseModule), which the CLI does not import.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { configModuleOptions } from '../config/config';
import type { ConfigValues } from '../config/namespaces';
import { EmissionModule } from '../emission/emission.module';
import { EventsModule } from '../events/events.module';
import { MetricsService } from '../metrics/metrics.service';
import { DefinitionsMetrics } from '../rules/definitions.metrics';
import { DefinitionsService } from '../rules/definitions.service';
import { ScheduleReconciler } from '../rules/schedule-reconciler.service';
import { SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import { SpawnRecoveryRepository } from '../spawn-log/spawn-recovery.repository';
import { SpawnRecoveryService } from '../spawn/spawn-recovery.service';
import { SpawnService } from '../spawn/spawn.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { CommandDatabaseModule } from './command-database.module';
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

/** The service's own classes that commands use, without the modules that start them. */
const COLLABORATORS = [
  SpawnLogRepository,
  SpawnRecoveryRepository,
  TemporalClientService,
  SpawnService,
  SpawnRecoveryService,
  MetricsService,
  DefinitionsMetrics,
  DefinitionsService,
  ScheduleReconciler,
];

@Module({})
export class CliModule {
  static forRoot(config: ConfigValues): DynamicModule {
    return {
      module: CliModule,
      // EventsModule (the event store) and EmissionModule (the issue-core client and gate) start nothing.
      imports: [ConfigModule.forRoot(configModuleOptions(config)), CommandDatabaseModule, EventsModule, EmissionModule],
      providers: [...COMMANDS, ...COLLABORATORS, ProgramName],
    };
  }
}
