import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EmissionModule } from '../emission/emission.module';
import { IntakeModule } from '../intake/intake.module';
import { NatsHealthIndicator } from './nats.health';
import { HealthController } from './health.controller';
import { IssueCoreHealthIndicator } from './issue-core.health';
import { EmissionHealthIndicator } from './emission.health';
import { SpawnLogModule } from '../spawn-log/spawn-log.module';
import { PostgresHealthIndicator } from './postgres.health';
import { ReadinessChecks } from './readiness.checks';
import { ReadinessMetrics } from './readiness.metrics';
import { TemporalHealthIndicator } from './temporal.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), EmissionModule, IntakeModule, SpawnLogModule],
  controllers: [HealthController],
  providers: [
    PostgresHealthIndicator,
    TemporalHealthIndicator,
    NatsHealthIndicator,
    IssueCoreHealthIndicator,
    EmissionHealthIndicator,
    ReadinessChecks,
    ReadinessMetrics,
  ],
})
export class HealthModule {}
