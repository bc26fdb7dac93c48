// The query of GET /spawn-log: one parser per parameter (src/common/input-parsers.ts), and the same
// parameters described for the OpenAPI document, so the contract and the check cannot drift.
import { ApiQueryOptions } from '@nestjs/swagger';
import { boundedText, MAX_ID_LENGTH, oneOf, parseDecimalInteger, parseId, parseTime, QueryParsers, TIMESTAMP_FORM } from '../common/input-parsers';
import { SINK_TYPES } from '../common/sink-type';
import { SPAWN_STATUSES } from './task-spawn-log.entity';

export const LIMIT = { min: 1, max: 200, default: 50 } as const;
const CURSOR_MAX = 200;

export const SPAWN_LOG_QUERY: QueryParsers = {
  source_id: parseId,
  triggering_event_id: parseId,
  status: oneOf(SPAWN_STATUSES),
  sink_type: oneOf(SINK_TYPES),
  since: parseTime,
  limit: (name, value) => parseDecimalInteger(name, value, LIMIT.min, LIMIT.max),
  cursor: boundedText(CURSOR_MAX),
};

export const SPAWN_LOG_QUERY_DOCS: ApiQueryOptions[] = [
  { name: 'source_id', required: false, description: 'definition key', schema: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH } },
  {
    name: 'triggering_event_id',
    required: false,
    description: 'CloudEvent id or schedule:<key>:<time>',
    schema: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH },
  },
  { name: 'status', required: false, schema: { type: 'string', enum: [...SPAWN_STATUSES] } },
  {
    name: 'sink_type',
    required: false,
    description: 'the mode the decision was made in: null (dry-run) or rest (live)',
    schema: { type: 'string', enum: [...SINK_TYPES] },
  },
  { name: 'since', required: false, description: `decisions created at or after it: ${TIMESTAMP_FORM}`, schema: { type: 'string', format: 'date-time' } },
  {
    name: 'limit',
    required: false,
    description: 'page size, decimal digits',
    schema: { type: 'integer', minimum: LIMIT.min, maximum: LIMIT.max, default: LIMIT.default },
  },
  { name: 'cursor', required: false, description: 'next_cursor of the previous page', schema: { type: 'string', minLength: 1, maxLength: CURSOR_MAX } },
];
