import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ApiTokenGuard } from './common/api-token.guard';
import { loggerParams } from './common/logging';
import { configModuleOptions } from './config/config';
import { ConfigValues, loggingConfig } from './config/namespaces';
import { DatabaseModule } from './database/database.module';
import { EmissionModule } from './emission/emission.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { SpawnLogModule } from './spawn-log/spawn-log.module';
import { SpawnModule } from './spawn/spawn.module';
import { RulesModule } from './rules/rules.module';
import { IntakeModule } from './intake/intake.module';
import { TemporalModule } from './temporal/temporal.module';
import { CommonModule } from './common/common.module';
import { ConsoleModule } from './console/console.module';

@Module({})
export class AppModule {
  /** `config`: the validated configuration (loadConfig) this application container carries. */
  static forRoot(config: ConfigValues): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(configModuleOptions(config)),
        LoggerModule.forRootAsync({ inject: [loggingConfig.KEY], useFactory: loggerParams }),
        CommonModule,
        DatabaseModule,
        MetricsModule,
        TemporalModule,
        EmissionModule,
        SpawnLogModule,
        SpawnModule,
        RulesModule,
        IntakeModule,
        HealthModule,
        ConsoleModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: ApiTokenGuard }],
    };
  }
}
