// Error types retrying cannot fix. Pure constants: safe to import from workflow code.
import { NON_RETRYABLE_SINK_ERRORS } from '../emission/sink.errors';

export const DECISION_NOT_FOUND = 'DecisionNotFound';
export const NON_RETRYABLE_SPAWN_ERRORS = [...NON_RETRYABLE_SINK_ERRORS, DECISION_NOT_FOUND] as const;
