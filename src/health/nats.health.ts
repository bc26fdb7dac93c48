import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { timeBox } from '../common/time-box';
import { JetStreamConsumer } from '../intake/jetstream.consumer';

@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly consumer: JetStreamConsumer,
  ) {}

  get enabled(): boolean {
    return this.consumer.enabled;
  }

  async check(key = 'nats'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const result = await timeBox(this.consumer.check(), 2_000, 'NATS').catch((error: Error) => ({ ok: false, detail: error.message }));
    return result.ok ? indicator.up({ detail: result.detail }) : indicator.down({ reason: result.detail });
  }
}
