// Liveness has no dependencies; readiness has them all (SPEC §5).
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import { Public } from '../common/public.decorator';
import { IssueCoreHealthIndicator } from './issue-core.health';
import { NatsHealthIndicator } from './nats.health';
import { PostgresHealthIndicator } from './postgres.health';
import { TemporalHealthIndicator } from './temporal.health';

const CHECKS: SchemaObject = { type: 'object', additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] } } } };
/** Terminus' report: readiness keeps this format on 503 too (probes and operators read it). */
const HEALTH_REPORT: SchemaObject = {
  type: 'object',
  required: ['status', 'details'],
  properties: { status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] }, info: CHECKS, error: CHECKS, details: CHECKS },
};

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
  ) {}

  @Get('live')
  @ApiOperation({ summary: '200 while the process serves' })
  @ApiOkResponse({ schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: '200 when every dependency is up; 503 with each check otherwise' })
  @ApiOkResponse({ schema: HEALTH_REPORT })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down: each check with its state (Terminus format)', schema: HEALTH_REPORT })
  ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.postgres.check(), () => this.temporal.check()];
    if (this.nats.enabled) checks.push(() => this.nats.check());
    if (this.issueCore.enabled) checks.push(() => this.issueCore.check());
    return this.health.check(checks);
  }
}
