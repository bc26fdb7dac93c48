// The readiness checks, in one list shared by /health/ready and the readiness gauges.
import { Injectable } from '@nestjs/common';
import { HealthIndicatorFunction } from '@nestjs/terminus';
import { IssueCoreHealthIndicator } from './issue-core.health';
import { NatsHealthIndicator } from './nats.health';
import { PostgresHealthIndicator } from './postgres.health';
import { TemporalHealthIndicator } from './temporal.health';

@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly postgres: PostgresHealthIndicator,
    private readonly temporal: TemporalHealthIndicator,
    private readonly nats: NatsHealthIndicator,
    private readonly issueCore: IssueCoreHealthIndicator,
  ) {}

  list(): HealthIndicatorFunction[] {
    const checks: HealthIndicatorFunction[] = [() => this.postgres.check(), () => this.temporal.check()];
    if (this.nats.enabled) checks.push(() => this.nats.check());
    if (this.issueCore.enabled) checks.push(() => this.issueCore.check());
    return checks;
  }
}
