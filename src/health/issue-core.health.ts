import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { IssueCoreGate, describeFailure } from '../emission/issue-core.gate';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { redactText, redactUrl, secretsOf } from '../common/redact';

@Injectable()
export class IssueCoreHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly gate: IssueCoreGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get secrets(): string[] {
    return secretsOf(this.config);
  }

  get enabled(): boolean {
    return this.config.sink.type === 'rest';
  }

  async check(key = 'issue-core'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const verdict = await this.gate.verify(true);
    const failure = describeFailure(verdict);
    const details = {
      url: redactUrl(this.config.issueCore.url ?? ''),
      reachable: verdict.reachable.ok,
      credentials: !verdict.reachable.ok ? 'unknown' : !verdict.credentials.ok ? 'rejected' : verdict.create.ok ? 'accepted' : 'refused on create',
    };
    return failure ? indicator.down({ ...details, reason: redactText(failure, this.secrets) }) : indicator.up(details);
  }
}
