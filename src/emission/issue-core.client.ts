// The one place that talks HTTP to issue-core: create an issue, probe health, probe credentials.
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import axios, { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import { issueCoreConfig } from '../config/namespaces';
import { classifyHttpFailure, describeBody, SinkError, SinkRejectedError } from './sink.errors';
import type { TaskReference } from './sink.interface';
import type { TaskSpec } from '../rules/task-spec';

export type ProbeResult = { ok: true } | { ok: false; reason: string };

@Injectable()
export class IssueCoreClient {
  private readonly http: AxiosInstance;

  constructor(@Inject(issueCoreConfig.KEY) issueCore: ConfigType<typeof issueCoreConfig>) {
    this.http = IssueCoreClient.createHttp(issueCore);
  }

  private static createHttp(config: ConfigType<typeof issueCoreConfig>): AxiosInstance {
    return axios.create({
      baseURL: config.url,
      timeout: config.timeoutMs,
      headers: config.token ? { Authorization: `Bearer ${config.token}` } : {},
      // Every status is an answer to classify here, not an exception to unwrap.
      validateStatus: () => true,
      maxRedirects: 0,
    });
  }

  /** POST /issues/ with the idempotency key; throws a classified SinkError on failure. */
  async createIssue(spec: TaskSpec, idempotencyKey: string, what: string): Promise<TaskReference> {
    let response: AxiosResponse;
    try {
      response = await this.http.post('/issues/', spec, { headers: { 'Idempotency-Key': idempotencyKey } });
    } catch (error) {
      throw this.networkFailure(error, what);
    }
    if (response.status < 200 || response.status >= 300) {
      throw classifyHttpFailure(
        { what, status: response.status, body: response.data, retryAfter: response.headers['retry-after'] as string | undefined },
        Date.now(),
      );
    }
    const body = response.data as Record<string, unknown> | undefined;
    const issueId = body?.issue_id;
    if (typeof issueId !== 'string' && typeof issueId !== 'number') {
      throw new SinkRejectedError(
        'ISSUE_CORE_BAD_RESPONSE',
        `issue-core answered ${response.status} for ${what} without issue_id: ${describeBody(response.data)}`,
        response.status,
      );
    }
    return {
      taskRef: String(issueId),
      taskUrl: typeof body?.issue_url === 'string' ? body.issue_url : null,
      backend: typeof body?.backend === 'string' ? body.backend : null,
    };
  }

  /** Reachability of the health path: only a 2xx counts (a 404 is a wrong URL, not a live service). */
  async probeHealth(path: string): Promise<ProbeResult> {
    try {
      const response = await this.http.get(path);
      return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, reason: `health answered ${response.status}` };
    } catch (error) {
      return { ok: false, reason: this.networkFailure(error, 'health probe').message };
    }
  }

  /** An authenticated read that creates nothing: 401/403 means the credentials are rejected. */
  async probeCredentials(): Promise<ProbeResult> {
    try {
      const response = await this.http.get('/issues/', { params: { limit: 1 } });
      if (response.status === 401 || response.status === 403) {
        return { ok: false, reason: `credentials rejected: issue-core answered ${response.status}` };
      }
      if (response.status === 404) return { ok: false, reason: 'endpoint not found: GET /issues/ answered 404' };
      if (response.status >= 500) return { ok: false, reason: `issue-core answered ${response.status}` };
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: this.networkFailure(error, 'credentials probe').message };
    }
  }

  private networkFailure(error: unknown, what: string): SinkError {
    const axiosError = error as AxiosError;
    const timedOut = axiosError.code === 'ECONNABORTED' || axiosError.code === 'ETIMEDOUT';
    return classifyHttpFailure({ what, networkCode: axiosError.code ?? axiosError.message, timedOut }, Date.now());
  }
}
