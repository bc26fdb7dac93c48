import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { ConfigType } from '@nestjs/config';
import { temporalConfig } from '../config/namespaces';
import { redactText } from '../common/redact';
import { timeBox } from '../common/time-box';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { TemporalWorkerService } from '../temporal/temporal-worker.service';

const DESCRIBE_BUDGET_MS = 2_000;

/** Up when the client reaches the namespace and the worker is polling. */
@Injectable()
export class TemporalHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly temporal: TemporalClientService,
    private readonly worker: TemporalWorkerService,
    @Inject(temporalConfig.KEY) private readonly temporalSettings: ConfigType<typeof temporalConfig>,
  ) {}

  async check(key = 'temporal'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const { address, namespace, taskQueue } = this.temporalSettings;
    const details = { address, namespace, taskQueue, worker: this.worker.describeState() };
    if (!this.temporal.connected) return indicator.down({ ...details, reason: `Temporal ${this.temporal.describeState()}` });
    try {
      // A gRPC deadline, not just a race: no retry of this call may outlive the check.
      const { connection } = this.temporal.client;
      await timeBox(
        connection.withDeadline(Date.now() + DESCRIBE_BUDGET_MS, () => connection.workflowService.describeNamespace({ namespace })),
        DESCRIBE_BUDGET_MS + 500,
        `Temporal namespace ${namespace}`,
      );
    } catch (error) {
      return indicator.down({ ...details, reason: `Temporal unreachable: ${redactText((error as Error).message)}` });
    }
    // Read again after the await: the worker may have started meanwhile (synchronous, so consistent).
    const worker = this.worker.describeState();
    if (this.worker.state !== 'RUNNING') return indicator.down({ ...details, worker, reason: `Temporal worker not polling: ${worker}` });
    return indicator.up({ ...details, worker });
  }
}
