// POST /events and explain as OpenAPI schemas (components, referenced by name).
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { MAX_ID_LENGTH } from '../events/limits';
import { ref } from '../spawn-log/spawn-log.schemas';

const id = { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH } as const;
const time = { type: 'string', format: 'date-time' } as const;

export const EVENTS_SCHEMAS: Record<string, SchemaObject> = {
  CloudEvent: {
    type: 'object',
    description: 'CloudEvents 1.0, structured mode. Extension attributes: lower-case letters and digits, at most 20.',
    required: ['specversion', 'id', 'source', 'type'],
    properties: {
      specversion: { type: 'string', enum: ['1.0'] },
      id,
      source: id,
      type: { type: 'string', minLength: 1 },
      subject: { type: 'string', minLength: 1 },
      time: { ...time, description: 'RFC 3339 with a zone, a real calendar date, years 0001-9999, no leap second' },
      datacontenttype: { type: 'string' },
      dataschema: { type: 'string' },
      data: { description: 'any JSON value' },
      data_base64: { type: 'string' },
    },
  },
  IntakeDecision: {
    type: 'object',
    required: ['id', 'source_id', 'status', 'reason', 'dedupe_key', 'workflow_id', 'task_spec'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      source_id: { type: 'string' },
      status: { type: 'string' },
      reason: { type: 'string' },
      dedupe_key: { type: 'string' },
      workflow_id: { type: 'string' },
      task_spec: ref('TaskSpec'),
    },
  },
  IntakeResult: {
    type: 'object',
    required: ['event_id', 'source', 'duplicate', 'decisions'],
    properties: {
      event_id: { type: 'string' },
      source: { type: 'string' },
      duplicate: { type: 'boolean', description: 'true when (source, id) was already stored: not evaluated again' },
      decisions: { type: 'array', items: ref('IntakeDecision') },
    },
  },
  ExplainCandidate: {
    type: 'object',
    description: 'an event rule whose trigger is the event type, re-evaluated with the inputs it saw',
    required: ['key', 'definition_hash', 'enabled', 'condition', 'matched', 'reason', 'evaluation', 'decision'],
    properties: {
      key: { type: 'string' },
      definition_hash: { type: 'string' },
      enabled: { type: 'boolean' },
      condition: { type: 'string' },
      matched: { type: 'boolean' },
      reason: { type: 'string' },
      error: { type: 'string' },
      evaluation: ref('Evaluation'),
      decision: { allOf: [ref('SpawnLogEntry')], nullable: true },
    },
  },
  ExplainScheduleRule: {
    type: 'object',
    description: 'a schedule rule whose scope (latest_of) reads the event type',
    required: ['key', 'definition_hash', 'enabled', 'schedule_id', 'condition', 'latest_of_subject', 'read_by_next_tick', 'why', 'decisions'],
    properties: {
      key: { type: 'string' },
      definition_hash: { type: 'string' },
      enabled: { type: 'boolean' },
      schedule_id: { type: 'string' },
      condition: { type: 'string' },
      latest_of_subject: { type: 'boolean', description: 'the event is, now, the latest of its subject and type' },
      read_by_next_tick: { type: 'boolean', description: 'a tick now would evaluate this event (enabled, latest of its subject)' },
      why: { type: 'string' },
      decisions: { type: 'array', items: ref('SpawnLogEntry'), description: 'decisions whose evaluation used this event' },
    },
  },
  Explanation: {
    type: 'object',
    required: ['event', 'evaluated_at', 'candidates', 'schedule_rules', 'other_decisions'],
    properties: {
      event: {
        type: 'object',
        required: ['source', 'id', 'type', 'subject', 'time', 'received_at', 'transport'],
        properties: {
          source: { type: 'string' },
          id: { type: 'string' },
          type: { type: 'string' },
          subject: { type: 'string', nullable: true },
          time,
          received_at: time,
          transport: { type: 'string' },
        },
      },
      evaluated_at: time,
      candidates: { type: 'array', items: ref('ExplainCandidate') },
      schedule_rules: { type: 'array', items: ref('ExplainScheduleRule') },
      other_decisions: { type: 'array', items: ref('SpawnLogEntry') },
    },
  },
};
