// The field parsers of a definition file: each validates one part of SPEC §4 and compiles its CEL,
// reporting problems through `fail` with the field and the position.
import { CelCompileError, compileCel } from './cel';
import type { ActivityDefinition, TaskTemplate, Trigger } from './definition.types';
import { cronProblem } from './cron';
import { parseDuration } from './duration';
import { PRIORITIES } from './task-spec-contract';
import { compileTemplate, CompiledTemplate } from './template';

const TASK_FIELDS = ['title', 'description', 'target_repo', 'priority', 'labels', 'due_in_days'];

type Raw = Record<string, unknown>;

/** Why `zone` is not an IANA time zone Temporal knows, or undefined. */
export function timezoneProblem(zone: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone "${zone}": must be an IANA time zone, e.g. UTC or Europe/Paris`;
  }
  // Temporal looks zone names up case-sensitively.
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) return `time zone names are case-sensitive: "${resolved}", not "${zone}"`;
  return undefined;
}

/** `where` is a YAML path (the field's position in the file) or a position within an expression. */
export type Fail = (field: string, message: string, where?: (string | number)[] | { line: number; column: number }) => void;

export function compileField(field: string, value: unknown, fail: Fail, condition: boolean, path: (string | number)[] = [field]) {
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

export function parseTrigger(value: unknown, fail: Fail): Trigger | undefined {
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
  const cronCheck = typeof cron === 'string' ? cronProblem(cron) : { message: 'must be a five-field cron expression, e.g. "0 6 * * 1"', column: 1 };
  if (cronCheck) {
    fail('trigger.schedule.cron', `${cronCheck.message} (column ${cronCheck.column} of the expression)`, ['trigger', 'schedule', 'cron']);
    ok = false;
  }
  const zoneCheck = typeof timezone === 'string' ? timezoneProblem(timezone) : 'must be an IANA time zone, e.g. UTC or Europe/Paris';
  if (zoneCheck) {
    fail('trigger.schedule.timezone', zoneCheck, ['trigger', 'schedule', 'timezone']);
    ok = false;
  }
  return ok ? { kind: 'schedule', cron: (cron as string).trim(), timezone: timezone as string } : undefined;
}

export function parseScope(value: unknown, trigger: Trigger | undefined, fail: Fail): { latestOf: string } | null | undefined {
  if (value === undefined || value === null) return null;
  const latestOf = (value as Raw).latest_of;
  if (typeof latestOf !== 'string' || latestOf.trim() === '' || Object.keys(value).length !== 1) {
    fail('scope', 'must be { latest_of: <event type> }', ['scope']);
    return undefined;
  }
  if (trigger && trigger.kind !== 'schedule') {
    fail('scope', 'only schedule rules have a scope', ['scope']);
    return undefined;
  }
  return { latestOf };
}

export function parseTask(value: unknown, fail: Fail): TaskTemplate | undefined {
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
  // Literal values are checked now: a spec that could never be valid is refused at load.
  const literal = (compiled: CompiledTemplate | undefined) => (compiled && !compiled.source.includes('{{') ? compiled.source : undefined);
  for (const [field, compiled] of [
    ['title', title],
    ['target_repo', targetRepo],
  ] as const) {
    if (literal(compiled)?.trim() === '') fail(`task.${field}`, 'must not be empty', ['task', field]);
  }
  const priorityLiteral = literal(priority);
  if (priorityLiteral !== undefined && !(PRIORITIES as readonly string[]).includes(priorityLiteral)) {
    fail('task.priority', `must be one of ${PRIORITIES.join(', ')} (or a {{ expression }} giving one)`, ['task', 'priority']);
  }
  let labels: CompiledTemplate[] | undefined = [];
  if (task.labels !== undefined && task.labels !== null) {
    if (!Array.isArray(task.labels) || !task.labels.every((label) => typeof label === 'string')) {
      fail('task.labels', 'must be a list of strings', ['task', 'labels']);
      labels = undefined;
    } else {
      const compiled = task.labels.map(
        (label: string, i: number) => compileField(`task.labels[${i}]`, label, fail, false, ['task', 'labels', i]) as CompiledTemplate | undefined,
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
  return { title, description, target_repo: targetRepo, priority, labels, due_in_days: due };
}

export function parseLimits(value: unknown, fail: Fail): ActivityDefinition['limits'] | undefined {
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
