import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EmissionModule } from '../emission/emission.module';
import { HealthController } from './health.controller';
import { IssueCoreHealthIndicator } from './issue-core.health';
import { PostgresHealthIndicator } from './postgres.health';
import { TemporalHealthIndicator } from './temporal.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), EmissionModule],
  controllers: [HealthController],
  providers: [PostgresHealthIndicator, TemporalHealthIndicator, IssueCoreHealthIndicator],
})
export class HealthModule {}
