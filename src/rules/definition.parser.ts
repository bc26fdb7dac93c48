// Parses one definition file: YAML, then the SPEC §4 schema, then CEL. Every problem is reported
// with the file, the field and the position; nothing here touches the disk or the clock.
import { createHash } from 'node:crypto';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { CelCompileError, compileCel, CompiledExpression } from './cel';
import type { ActivityDefinition, DefinitionLoadError, TaskTemplate, Trigger } from './definition.types';
import { parseDuration } from './duration';
import { compileTemplate, CompiledTemplate } from './template';
import { uuidV5 } from './uuid-v5';

const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CRON_FIELD = /^[0-9A-Za-z*,/?#LW-]+$/;
const TOP_LEVEL = ['key', 'id', 'description', 'enabled', 'trigger', 'scope', 'condition', 'task', 'dedupe_key', 'limits'];
const TASK_FIELDS = ['title', 'description', 'target_repo', 'priority', 'labels', 'due_in_days'];

export type ParseResult = { ok: true; definition: ActivityDefinition } | { ok: false; errors: DefinitionLoadError[] };

type Raw = Record<string, unknown>;

export function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function definitionHash(source: unknown): string {
  const canonical = JSON.stringify(source, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Raw).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return `sha256:${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

export function parseDefinition(file: string, text: string): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const errors: DefinitionLoadError[] = [];
  const at = (path: (string | number)[]) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    if (offset === undefined) return {};
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const fail: Fail = (field, message, where) =>
    errors.push({ file, field, message, ...(Array.isArray(where) ? at(where) : (where ?? {})) });

  for (const error of doc.errors) {
    const [pos] = error.pos;
    const { line, col } = lines.linePos(pos);
    errors.push({ file, field: '(yaml)', message: error.message.split('\n')[0], line, column: col });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (!isMap(doc.contents)) return { ok: false, errors: [{ file, field: '(root)', message: 'must be a mapping of fields' }] };
  const raw = doc.toJS() as Raw;

  for (const field of Object.keys(raw)) {
    if (!TOP_LEVEL.includes(field)) fail(field, `unknown field (allowed: ${TOP_LEVEL.join(', ')})`, [field]);
  }
  const key = raw.key;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    fail('key', 'required: lowercase letters, digits, ".", "_" or "-" (at most 100)', ['key']);
  }
  if (raw.id !== undefined && (typeof raw.id !== 'string' || !UUID_PATTERN.test(raw.id))) fail('id', 'must be a uuid', ['id']);
  if (raw.description !== undefined && typeof raw.description !== 'string') fail('description', 'must be a string', ['description']);
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') fail('enabled', 'must be true or false', ['enabled']);

  const trigger = parseTrigger(raw.trigger, fail);
  const scope = parseScope(raw.scope, trigger, fail);
  const condition = compileField('condition', raw.condition, fail, true) as CompiledExpression | undefined;
  const task = parseTask(raw.task, fail);
  const dedupeKey = raw.dedupe_key === undefined ? null : (compileField('dedupe_key', raw.dedupe_key, fail, false) as CompiledTemplate | undefined);
  const limits = parseLimits(raw.limits, fail);

  if (errors.length > 0 || !trigger || !condition || !task || dedupeKey === undefined || limits === undefined) {
    return { ok: false, errors: errors.map((e) => (typeof key === 'string' ? { ...e, key } : e)) };
  }
  const definitionKey = key as string;
  return {
    ok: true,
    definition: {
      key: definitionKey,
      id: typeof raw.id === 'string' ? raw.id.toLowerCase() : uuidV5(definitionKey),
      hash: definitionHash(raw),
      file,
      description: typeof raw.description === 'string' ? raw.description : '',
      enabled: raw.enabled !== false,
      trigger,
      scope: scope ?? null,
      condition,
      task,
      dedupeKey,
      limits,
      source: raw,
    },
  };
}

/** `where` is a YAML path (the field's position in the file) or a position within an expression. */
type Fail = (field: string, message: string, where?: (string | number)[] | { line: number; column: number }) => void;

function compileField(field: string, value: unknown, fail: Fail, condition: boolean, path: (string | number)[] = [field]) {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(field, condition ? 'required: a CEL expression' : 'must be a string', path);
    return undefined;
  }
  try {
    return condition ? compileCel(value) : compileTemplate(value);
  } catch (error) {
    if (!(error instanceof CelCompileError)) throw error;
    // Positions are within the expression: that is where the author looks.
    fail(field, error.detail.message, { line: error.detail.line, column: error.detail.column });
    return undefined;
  }
}

function parseTrigger(value: unknown, fail: Fail): Trigger | undefined {
  const trigger = value as Raw | undefined;
  if (!trigger || typeof trigger !== 'object') {
    fail('trigger', 'required: { event: { type } } or { schedule: { cron, timezone } }', ['trigger']);
    return undefined;
  }
  const kinds = Object.keys(trigger);
  if (kinds.length !== 1 || !['event', 'schedule'].includes(kinds[0])) {
    fail('trigger', 'must have exactly one of: event, schedule', ['trigger']);
    return undefined;
  }
  if (kinds[0] === 'event') {
    const type = (trigger.event as Raw | undefined)?.type;
    if (typeof type !== 'string' || type.trim() === '') {
      fail('trigger.event.type', 'required: the CloudEvent type this rule listens to', ['trigger', 'event']);
      return undefined;
    }
    return { kind: 'event', type };
  }
  const schedule = (trigger.schedule ?? {}) as Raw;
  const cron = schedule.cron;
  const timezone = schedule.timezone ?? 'UTC';
  let ok = true;
  if (typeof cron !== 'string' || cron.trim().split(/\s+/).length !== 5 || !cron.trim().split(/\s+/).every((f) => CRON_FIELD.test(f))) {
    fail('trigger.schedule.cron', 'must be a five-field cron expression, e.g. "0 6 * * 1"', ['trigger', 'schedule', 'cron']);
    ok = false;
  }
  if (typeof timezone !== 'string' || !isValidTimezone(timezone)) {
    fail('trigger.schedule.timezone', 'must be an IANA time zone, e.g. UTC or Europe/Paris', ['trigger', 'schedule', 'timezone']);
    ok = false;
  }
  return ok ? { kind: 'schedule', cron: (cron as string).trim(), timezone: timezone as string } : undefined;
}

function parseScope(value: unknown, trigger: Trigger | undefined, fail: Fail): { latestOf: string } | null | undefined {
  if (value === undefined || value === null) return null;
  const latestOf = (value as Raw).latest_of;
  if (typeof latestOf !== 'string' || latestOf.trim() === '' || Object.keys(value as Raw).length !== 1) {
    fail('scope', 'must be { latest_of: <event type> }', ['scope']);
    return undefined;
  }
  if (trigger && trigger.kind !== 'schedule') {
    fail('scope', 'only schedule rules have a scope', ['scope']);
    return undefined;
  }
  return { latestOf };
}

function parseTask(value: unknown, fail: Fail): TaskTemplate | undefined {
  const task = value as Raw | undefined;
  if (!task || typeof task !== 'object' || Array.isArray(task)) {
    fail('task', 'required: { title, target_repo, ... }', ['task']);
    return undefined;
  }
  for (const field of Object.keys(task)) {
    if (!TASK_FIELDS.includes(field)) fail(`task.${field}`, `unknown field (allowed: ${TASK_FIELDS.join(', ')})`, ['task', field]);
  }
  const template = (field: string, fallback?: string) => {
    const raw = task[field] ?? fallback;
    if (raw === '') return compileTemplate('');
    return compileField(`task.${field}`, raw, fail, false, ['task', field]) as CompiledTemplate | undefined;
  };
  const title = template('title');
  const description = template('description', '');
  const targetRepo = template('target_repo');
  const priority = template('priority', 'medium');
  let labels: CompiledTemplate[] | undefined = [];
  if (task.labels !== undefined && task.labels !== null) {
    if (!Array.isArray(task.labels) || !task.labels.every((label) => typeof label === 'string')) {
      fail('task.labels', 'must be a list of strings', ['task', 'labels']);
      labels = undefined;
    } else {
      const compiled = task.labels.map((label: string, i: number) =>
        compileField(`task.labels[${i}]`, label, fail, false, ['task', 'labels', i]) as CompiledTemplate | undefined,
      );
      labels = compiled.every(Boolean) ? (compiled as CompiledTemplate[]) : undefined;
    }
  }
  const due = task.due_in_days ?? null;
  if (due !== null && (typeof due !== 'number' || !Number.isInteger(due) || due < 0)) {
    fail('task.due_in_days', 'must be a whole number of days, or null', ['task', 'due_in_days']);
    return undefined;
  }
  if (!title || !description || !targetRepo || !priority || !labels) return undefined;
  return { title, description, target_repo: targetRepo, priority, labels, due_in_days: due as number | null };
}

function parseLimits(value: unknown, fail: Fail): ActivityDefinition['limits'] | undefined {
  if (value === undefined || value === null) return null;
  const limits = value as Raw;
  const max = limits.max_spawns;
  const per = limits.per;
  const perMs = typeof per === 'string' ? parseDuration(per) : undefined;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    fail('limits.max_spawns', 'must be a whole number of at least 1', ['limits', 'max_spawns']);
    return undefined;
  }
  if (!perMs) {
    fail('limits.per', 'must be a duration such as 30m, 1h or 1d', ['limits', 'per']);
    return undefined;
  }
  return { maxSpawns: max, perMs, per: per as string };
}
