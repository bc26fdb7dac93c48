// The spawn-log's answers as OpenAPI schemas (components, referenced by name).
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { TASK_SPEC_FIELDS } from '../rules/task-spec';
import { SPAWN_STATUSES } from './task-spawn-log.entity';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const text = { type: 'string' } as const;
const nullableText = { type: 'string', nullable: true } as const;
const time = { type: 'string', format: 'date-time' } as const;

export const SPAWN_LOG_SCHEMAS: Record<string, SchemaObject> = {
  TaskSpec: {
    type: 'object',
    description: 'the exact payload sent to issue-core',
    required: [...TASK_SPEC_FIELDS],
    properties: {
      title: text,
      description: text,
      target_repo: text,
      priority: text,
      labels: { type: 'array', items: text },
      due_in_days: { type: 'integer', nullable: true },
      source_type: { type: 'string', enum: ['rule'] },
      source_id: text,
      triggering_event_id: text,
      activity_definition_id: { type: 'string', format: 'uuid' },
    },
  },
  Evaluation: {
    type: 'object',
    description: 'the inputs the condition saw, and its result',
    required: ['event_id', 'subject', 'time', 'now', 'result'],
    properties: {
      event_id: nullableText,
      subject: nullableText,
      time: nullableText,
      now: time,
      result: { type: 'boolean' },
      error: text,
      limit: text,
    },
  },
  SpawnLogEntry: {
    type: 'object',
    description: 'one decision and what became of it',
    required: [
      'id',
      'activity_definition_id',
      'source_type',
      'source_id',
      'triggering_event_id',
      'dedupe_key',
      'condition',
      'definition_hash',
      'reason',
      'evaluation',
      'task_spec',
      'sink_type',
      'task_ref',
      'status',
      'attempts',
      'workflow_id',
      'created_at',
    ],
    properties: {
      id: { type: 'string', format: 'uuid' },
      activity_definition_id: { type: 'string', format: 'uuid' },
      source_type: { type: 'string', enum: ['rule'] },
      source_id: text,
      triggering_event_id: text,
      dedupe_key: text,
      condition: text,
      definition_hash: text,
      reason: text,
      evaluation: ref('Evaluation'),
      task_spec: ref('TaskSpec'),
      sink_type: { type: 'string', enum: ['null', 'rest'] },
      task_ref: nullableText,
      task_url: nullableText,
      backend: nullableText,
      status: { type: 'string', enum: [...SPAWN_STATUSES] },
      error: nullableText,
      attempts: { type: 'integer', minimum: 0 },
      workflow_id: text,
      workflow_started_at: { ...time, nullable: true },
      created_at: time,
      emitted_at: { ...time, nullable: true },
    },
  },
  SpawnLogPage: {
    type: 'object',
    required: ['items', 'next_cursor'],
    properties: {
      items: { type: 'array', items: ref('SpawnLogEntry') },
      next_cursor: { type: 'string', nullable: true, description: 'pass as cursor for the next page; null on the last' },
    },
  },
};
