// Live mode is allowed only while issue-core is proven reachable and accepting our credentials.
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { timeBox } from '../common/time-box';
import { IssueCoreClient, ProbeResult } from './issue-core.client';
import { SinkRetryableError } from './sink.errors';

const PROBE_TTL_MS = 2_000;
const PROBE_BUDGET_MS = 3_000;

export interface IssueCoreVerdict {
  reachable: ProbeResult;
  credentials: ProbeResult;
}

@Injectable()
export class IssueCoreGate {
  private cached?: { at: number; verdict: Promise<IssueCoreVerdict> };

  constructor(
    private readonly client: IssueCoreClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Both probes, time-boxed; shared by concurrent callers for a short while. */
  verify(fresh = false): Promise<IssueCoreVerdict> {
    const now = Date.now();
    if (!fresh && this.cached && now - this.cached.at < PROBE_TTL_MS) return this.cached.verdict;
    const verdict = this.probe();
    this.cached = { at: now, verdict };
    return verdict;
  }

  /** Throws a retryable error while issue-core is not verified, so decisions wait in Temporal. */
  async assertReady(): Promise<void> {
    const failure = describeFailure(await this.verify());
    if (failure) throw new SinkRetryableError('ISSUE_CORE_NOT_READY', `live emission held: ${failure}`);
  }

  private async probe(): Promise<IssueCoreVerdict> {
    const budget = Math.min(this.config.issueCore.timeoutMs, PROBE_BUDGET_MS);
    const boxed = (work: Promise<ProbeResult>, what: string) =>
      timeBox(work, budget, what).catch((error: Error): ProbeResult => ({ ok: false, reason: error.message }));
    const reachable = await boxed(this.client.probeHealth(this.config.issueCore.healthPath), 'issue-core health');
    if (!reachable.ok) return { reachable, credentials: { ok: false, reason: 'not checked: unreachable' } };
    const credentials = await boxed(this.client.probeCredentials(), 'issue-core credentials check');
    return { reachable, credentials };
  }
}

export function describeFailure(verdict: IssueCoreVerdict): string | undefined {
  if (!verdict.reachable.ok) return `issue-core unreachable: ${verdict.reachable.reason}`;
  if (!verdict.credentials.ok) return verdict.credentials.reason;
  return undefined;
}
