// Liveness has no dependencies; readiness has them all (SPEC §5).
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../common/public.decorator';
import { ReadinessChecks } from './readiness.checks';

const CHECKS: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] } } },
};
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
    private readonly checks: ReadinessChecks,
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
    return this.health.check(this.checks.list());
  }
}
