// Error types retrying cannot fix. Pure constants: safe to import from workflow code.
import { NON_RETRYABLE_SINK_ERRORS, RETRY_INTERVAL_MAX_MS } from '../emission/sink.errors';

/** The longest wait between two emission attempts; Retry-After is clamped to it. */
export const SPAWN_MAX_RETRY_INTERVAL_MS = RETRY_INTERVAL_MAX_MS;

export const DECISION_NOT_FOUND = 'DecisionNotFound';
export const NON_RETRYABLE_SPAWN_ERRORS = [...NON_RETRYABLE_SINK_ERRORS, DECISION_NOT_FOUND] as const;
