import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { IssueCoreGate, describeFailure } from '../emission/issue-core.gate';
import type { ConfigType } from '@nestjs/config';
import { issueCoreConfig, loggingConfig, sinkConfig } from '../config/namespaces';
import { redactText, redactUrl } from '../common/redact';

@Injectable()
export class IssueCoreHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly gate: IssueCoreGate,
    @Inject(sinkConfig.KEY) private readonly sink: ConfigType<typeof sinkConfig>,
    @Inject(issueCoreConfig.KEY) private readonly issueCore: ConfigType<typeof issueCoreConfig>,
    @Inject(loggingConfig.KEY) private readonly logging: ConfigType<typeof loggingConfig>,
  ) {}

  get enabled(): boolean {
    return this.sink.type === 'rest';
  }

  async check(key = 'issue-core'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const verdict = await this.gate.verify(true);
    const failure = describeFailure(verdict);
    const details = {
      url: redactUrl(this.issueCore.url ?? ''),
      reachable: verdict.reachable.ok,
      credentials: !verdict.reachable.ok ? 'unknown' : !verdict.credentials.ok ? 'rejected' : verdict.create.ok ? 'accepted' : 'refused on create',
    };
    return failure ? indicator.down({ ...details, reason: redactText(failure, this.logging.secrets) }) : indicator.up(details);
  }
}
