import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ApiTokenGuard } from './common/api-token.guard';
import { loggerParams } from './common/logging';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
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
  /** `config` is for tests; the service validates its environment. */
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: loggerParams }),
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
