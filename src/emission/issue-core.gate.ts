// Live mode is allowed only while issue-core is proven reachable and accepting our credentials.
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { issueCoreConfig } from '../config/namespaces';
import { timeBox } from '../common/time-box';
import { IssueCoreClient, ProbeResult } from './issue-core.client';
import { OPERATOR_FIXABLE, SinkError, SinkRetryableError } from './sink.errors';

const PROBE_TTL_MS = 2_000;
const PROBE_BUDGET_MS = 3_000;

export interface IssueCoreVerdict {
  reachable: ProbeResult;
  credentials: ProbeResult;
  /** The last create's answer: refused (401/403) or not found (404) until a create succeeds. */
  create: ProbeResult;
}

const CREATE_OK: ProbeResult = { ok: true };

@Injectable()
export class IssueCoreGate {
  private cached?: { at: number; verdict: Promise<Omit<IssueCoreVerdict, 'create'>> };
  private create: ProbeResult = CREATE_OK;

  constructor(
    private readonly client: IssueCoreClient,
    @Inject(issueCoreConfig.KEY) private readonly issueCore: ConfigType<typeof issueCoreConfig>,
  ) {}

  /** Both probes, time-boxed and shared by concurrent callers for a short while; and the last create's answer. */
  async verify(fresh = false): Promise<IssueCoreVerdict> {
    const now = Date.now();
    if (fresh || !this.cached || now - this.cached.at >= PROBE_TTL_MS) this.cached = { at: now, verdict: this.probe() };
    return { ...(await this.cached.verdict), create: this.create };
  }

  /**
   * Throws a retryable error while the probes fail, so decisions wait in Temporal. A refused create
   * does not stop the next attempt: that attempt is what tells when the operator has fixed it.
   */
  async assertReady(): Promise<void> {
    const failure = describeFailure({ ...(await this.verify()), create: CREATE_OK });
    if (failure) throw new SinkRetryableError('ISSUE_CORE_NOT_READY', `live emission held: ${failure}`);
  }

  /** What a create answered: 401/403/404 withdraw the verdict until a create succeeds. */
  recordCreate(error?: unknown): void {
    if (!error) {
      this.create = CREATE_OK;
      return;
    }
    if (!(error instanceof SinkError) || !OPERATOR_FIXABLE.has(error.code)) return;
    const what = error.code === 'ISSUE_CORE_NOT_FOUND' ? 'endpoint not found' : 'credentials refused on create';
    this.create = { ok: false, reason: `${what}: POST /issues/ answered ${error.status}` };
    this.cached = undefined;
  }

  private async probe(): Promise<Omit<IssueCoreVerdict, 'create'>> {
    const budget = Math.min(this.issueCore.timeoutMs, PROBE_BUDGET_MS);
    const boxed = (work: Promise<ProbeResult>, what: string) =>
      timeBox(work, budget, what).catch((error: Error): ProbeResult => ({ ok: false, reason: error.message }));
    const reachable = await boxed(this.client.probeHealth(this.issueCore.healthPath), 'issue-core health');
    if (!reachable.ok) return { reachable, credentials: { ok: false, reason: 'not checked: unreachable' } };
    const credentials = await boxed(this.client.probeCredentials(), 'issue-core credentials check');
    return { reachable, credentials };
  }
}

export function describeFailure(verdict: IssueCoreVerdict): string | undefined {
  if (!verdict.reachable.ok) return `issue-core unreachable: ${verdict.reachable.reason}`;
  if (!verdict.credentials.ok) return verdict.credentials.reason;
  if (!verdict.create.ok) return verdict.create.reason;
  return undefined;
}
