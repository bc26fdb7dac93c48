// The definitions API as OpenAPI schemas (components, referenced by name).
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ref } from '../spawn-log/spawn-log.schemas';

const text = { type: 'string' } as const;
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });

export const DEFINITIONS_SCHEMAS: Record<string, SchemaObject> = {
  Definition: {
    type: 'object',
    required: ['key', 'id', 'hash', 'file', 'description', 'enabled', 'trigger', 'schedule_id', 'scope', 'condition', 'task', 'dedupe_key', 'limits'],
    properties: {
      key: text,
      id: { type: 'string', format: 'uuid' },
      hash: text,
      file: text,
      description: text,
      enabled: { type: 'boolean' },
      trigger: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string', enum: ['event', 'schedule'] }, type: text, cron: text, timezone: text },
      },
      schedule_id: nullable(text),
      scope: nullable({ type: 'object', required: ['latest_of'], properties: { latest_of: text } }),
      condition: text,
      task: { type: 'object', description: 'the task template as written' },
      dedupe_key: nullable(text),
      limits: nullable({ type: 'object', required: ['max_spawns', 'per'], properties: { max_spawns: { type: 'integer' }, per: text } }),
    },
  },
  DefinitionLoadError: {
    type: 'object',
    required: ['file', 'field', 'message', 'text'],
    properties: { file: text, key: text, field: text, message: text, line: { type: 'integer' }, column: { type: 'integer' }, text },
  },
  DefinitionList: {
    type: 'object',
    required: ['definitions', 'errors', 'schedule_errors', 'stale_schedules'],
    properties: {
      definitions: { type: 'array', items: ref('Definition') },
      errors: { type: 'array', items: ref('DefinitionLoadError') },
      schedule_errors: {
        type: 'array',
        description: 'schedules Temporal refused at the last reconciliation; the other schedules were still reconciled',
        items: { type: 'object', required: ['schedule_id', 'error'], properties: { schedule_id: { type: 'string' }, error: { type: 'string' } } },
      },
      stale_schedules: {
        type: 'array',
        description: 'schedules of rules not enabled here, left for `activity-core schedules prune`',
        items: { type: 'string' },
      },
    },
  },
  DefinitionTestRequest: {
    type: 'object',
    required: ['event'],
    additionalProperties: false,
    properties: {
      event: { type: 'object', description: 'the CloudEvent to evaluate (structured mode); validated as intake validates it' },
      now: { type: 'string', format: 'date-time', description: 'the evaluation time (default: the current time); RFC 3339 with a zone' },
    },
  },
  DefinitionTestReport: {
    type: 'object',
    required: ['key', 'definition_hash', 'matched', 'reason', 'stage', 'triggering_event_id', 'evaluation', 'task_spec', 'dedupe_key', 'workflow_id'],
    properties: {
      key: text,
      definition_hash: text,
      matched: { type: 'boolean' },
      reason: {
        type: 'string',
        enum: ['condition_matched', 'invalid_event', 'wrong_type', 'not_in_scope', 'disabled', 'condition_false', 'evaluation_error', 'invalid_task_spec'],
      },
      stage: { type: 'string', enum: ['validation', 'selection', 'condition', 'template'], nullable: true, description: 'the stage that refused' },
      error: text,
      problems: { type: 'array', items: text, description: 'for invalid_event: what intake answers' },
      triggering_event_id: nullable(text),
      evaluation: { allOf: [ref('Evaluation')], nullable: true },
      task_spec: { allOf: [ref('TaskSpec')], nullable: true },
      dedupe_key: nullable(text),
      workflow_id: nullable(text),
    },
  },
};
