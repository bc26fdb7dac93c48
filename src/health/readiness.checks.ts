// The readiness checks, in one list shared by /health/ready and the readiness gauges.
import { Injectable } from '@nestjs/common';
import { HealthIndicatorFunction } from '@nestjs/terminus';
import { EmissionHealthIndicator } from './emission.health';
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
    private readonly emission: EmissionHealthIndicator,
  ) {}

  list(): HealthIndicatorFunction[] {
    const checks: HealthIndicatorFunction[] = [() => this.postgres.check(), () => this.temporal.check()];
    if (this.nats.enabled) checks.push(() => this.nats.check());
    if (this.issueCore.enabled) checks.push(() => this.issueCore.check());
    checks.push(() => this.emission.check());
    return checks;
  }
}
