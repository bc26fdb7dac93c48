// Liveness has no dependencies; readiness has them all (SPEC §5).
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import { Public } from '../common/public.decorator';
import { EmissionHealthIndicator } from './emission.health';
import { IssueCoreHealthIndicator } from './issue-core.health';
import { NatsHealthIndicator } from './nats.health';
import { PostgresHealthIndicator } from './postgres.health';
import { TemporalHealthIndicator } from './temporal.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: PostgresHealthIndicator,
    private readonly temporal: TemporalHealthIndicator,
    private readonly nats: NatsHealthIndicator,
    private readonly issueCore: IssueCoreHealthIndicator,
    private readonly emission: EmissionHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: '200 while the process serves' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: '200 when every dependency is up; 503 with each check otherwise' })
  ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.postgres.check(), () => this.temporal.check()];
    if (this.nats.enabled) checks.push(() => this.nats.check());
    if (this.issueCore.enabled) checks.push(() => this.issueCore.check());
    checks.push(() => this.emission.check());
    return this.health.check(checks);
  }
}
