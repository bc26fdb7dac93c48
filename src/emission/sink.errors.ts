// Sink failures, classified once so Temporal knows what to retry.

export type SinkErrorCode =
  | 'ISSUE_CORE_UNREACHABLE'
  | 'ISSUE_CORE_TIMEOUT'
  | 'ISSUE_CORE_UNAVAILABLE'
  | 'ISSUE_CORE_THROTTLED'
  | 'ISSUE_CORE_REJECTED'
  | 'ISSUE_CORE_BAD_RESPONSE'
  | 'ISSUE_CORE_NOT_READY';

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

/** Retrying may help: network errors, timeouts, 408, 429, 5xx, issue-core not yet verified. */
export class SinkRetryableError extends SinkError {
  readonly name = 'SinkRetryableError';
  readonly retryable = true;
}

/** Retrying cannot help: other 4xx, or a 2xx that is not a valid answer. */
export class SinkRejectedError extends SinkError {
  readonly name = 'SinkRejectedError';
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

/** Retry-After in seconds or as an HTTP date, as milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

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
  if (status === 429 || status === 408) {
    return new SinkRetryableError('ISSUE_CORE_THROTTLED', answer, status, parseRetryAfter(failure.retryAfter, nowMs));
  }
  if (status >= 500) {
    return new SinkRetryableError('ISSUE_CORE_UNAVAILABLE', answer, status, parseRetryAfter(failure.retryAfter, nowMs));
  }
  return new SinkRejectedError('ISSUE_CORE_REJECTED', answer, status);
}
