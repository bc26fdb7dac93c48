// The emission mode of this instance; in dry-run, how many live decisions it is holding for a live one.
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { timeBox } from '../common/time-box';
import { SINK_SELECTOR } from '../emission/emission.tokens';
import type { SinkSelector } from '../emission/sink.interface';
import { SpawnRecoveryRepository } from '../spawn-log/spawn-recovery.repository';

const COUNT_BUDGET_MS = 2_000;

@Injectable()
export class EmissionHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly spawnLog: SpawnRecoveryRepository,
    @Inject(SINK_SELECTOR) private readonly sinks: SinkSelector,
  ) {}

  /** Always up: holding live decisions is the safe behaviour, not a fault of this instance. */
  async check(key = 'emission'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    if (this.sinks.mode === 'rest') return indicator.up({ mode: 'rest' });
    const held = await timeBox(this.spawnLog.countPending('rest'), COUNT_BUDGET_MS, 'held live decisions').catch(() => null);
    return indicator.up({
      mode: 'null',
      held_live_decisions: held,
      ...(held ? { reason: `${held} live decision(s) held: this instance runs in dry-run; a live instance will emit them` } : {}),
    });
  }
}
