// Sink failures, classified once so Temporal knows what to retry.

export type SinkErrorCode =
  | 'ISSUE_CORE_UNREACHABLE'
  | 'ISSUE_CORE_TIMEOUT'
  | 'ISSUE_CORE_UNAVAILABLE'
  | 'ISSUE_CORE_THROTTLED'
  | 'ISSUE_CORE_REJECTED'
  | 'ISSUE_CORE_BAD_RESPONSE'
  | 'ISSUE_CORE_NOT_READY'
  | 'ISSUE_CORE_CREDENTIALS_REFUSED'
  | 'ISSUE_CORE_NOT_FOUND'
  | 'ISSUE_CORE_IN_FLIGHT'
  | 'LIVE_DECISION_HELD';

export abstract class SinkError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    readonly code: SinkErrorCode,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Retrying may help: network errors, timeouts, 408, 409, 429, 5xx, issue-core not yet verified, and
 * what the operator must fix (401/403 on the create, 404: a wrong ISSUE_CORE_URL): those hold the
 * decision instead of failing it.
 */
export class SinkRetryableError extends SinkError {
  override readonly name = 'SinkRetryableError';
  readonly retryable = true;
}

/** Retrying cannot help: a payload issue-core refuses (400, 422, other 4xx), or a 2xx without issue_id. */
export class SinkRejectedError extends SinkError {
  override readonly name = 'SinkRejectedError';
  readonly retryable = false;
}

/** Names Temporal must not retry; written into the spawn workflow's retry policy. */
export const NON_RETRYABLE_SINK_ERRORS = ['SinkRejectedError'] as const;

export interface HttpFailure {
  what: string; // "flag-stale-sbom/acme-api"
  status?: number;
  body?: unknown;
  retryAfter?: string;
  networkCode?: string;
  timedOut?: boolean;
}

const MAX_BODY_IN_MESSAGE = 300;

export function describeBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return '(empty body)';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > MAX_BODY_IN_MESSAGE ? `${text.slice(0, MAX_BODY_IN_MESSAGE)}…` : text;
}

/**
 * Bounds of a retry delay issue-core may ask for. The upper one is the spawn workflow's longest retry
 * interval: a far-future Retry-After waits that long and asks again, instead of outliving the retry budget.
 */
export const RETRY_AFTER_MIN_MS = 1_000;
export const RETRY_INTERVAL_MAX_MS = 5 * 60_000;

export function clampRetryAfter(ms: number): number {
  return Math.min(RETRY_INTERVAL_MAX_MS, Math.max(RETRY_AFTER_MIN_MS, ms));
}

/**
 * Retry-After in seconds or as an HTTP date, as milliseconds from `nowMs`, clamped to
 * [1 s, the retry interval's cap]: 0 or a past date must not cause a retry storm.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return clampRetryAfter(Number(trimmed) * 1000);
  // An HTTP date names its day and month; anything else ("-5") is not one.
  const at = /[A-Za-z]/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? undefined : clampRetryAfter(at - nowMs);
}

const RETRYABLE_STATUS: Record<number, SinkErrorCode> = {
  401: 'ISSUE_CORE_CREDENTIALS_REFUSED',
  403: 'ISSUE_CORE_CREDENTIALS_REFUSED',
  404: 'ISSUE_CORE_NOT_FOUND',
  408: 'ISSUE_CORE_THROTTLED',
  // IETF idempotency draft: a request with this key is still being processed.
  409: 'ISSUE_CORE_IN_FLIGHT',
  429: 'ISSUE_CORE_THROTTLED',
};

/** Answers the operator must fix; they also withdraw the gate's verdict (readiness says why). */
export const OPERATOR_FIXABLE: ReadonlySet<SinkErrorCode> = new Set(['ISSUE_CORE_CREDENTIALS_REFUSED', 'ISSUE_CORE_NOT_FOUND']);

export function classifyHttpFailure(failure: HttpFailure, nowMs: number): SinkError {
  const { what, status } = failure;
  if (failure.timedOut) {
    return new SinkRetryableError('ISSUE_CORE_TIMEOUT', `issue-core did not answer in time for ${what}`);
  }
  if (status === undefined) {
    const cause = failure.networkCode ?? 'network error';
    return new SinkRetryableError('ISSUE_CORE_UNREACHABLE', `issue-core unreachable for ${what}: ${cause}`);
  }
  const answer = `issue-core answered ${status} for ${what}: ${describeBody(failure.body)}`;
  const retryable = RETRYABLE_STATUS[status] ?? (status >= 500 ? 'ISSUE_CORE_UNAVAILABLE' : undefined);
  if (retryable) return new SinkRetryableError(retryable, answer, status, parseRetryAfter(failure.retryAfter, nowMs));
  return new SinkRejectedError('ISSUE_CORE_REJECTED', answer, status);
}
