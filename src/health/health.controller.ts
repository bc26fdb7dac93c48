// Liveness has no dependencies; readiness has them all (SPEC §5).
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../common/public.decorator';
import { ReadinessChecks } from './readiness.checks';

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
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: '200 when every dependency is up; 503 with each check otherwise' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.checks.list());
  }
}
