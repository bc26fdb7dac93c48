// Parses one definition file: YAML, then the SPEC §4 schema, then CEL. Every problem is reported
// with the file, the field and the position; nothing here touches the disk or the clock.
import { createHash } from 'node:crypto';
import { isMap, LineCounter, parseDocument, visit } from 'yaml';
import { unstorableText } from '../common/storable-text';
import type { CompiledExpression } from './cel';
import { compileField, Fail, parseLimits, parseScope, parseTask, parseTrigger } from './definition-fields.parser';
import type { ActivityDefinition, DefinitionLoadError } from './definition.types';
import type { CompiledTemplate } from './template';
import { uuidV5 } from './uuid-v5';

const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOP_LEVEL = ['key', 'id', 'description', 'enabled', 'trigger', 'scope', 'condition', 'task', 'dedupe_key', 'limits'];

export type ParseResult = { ok: true; definition: ActivityDefinition } | { ok: false; errors: DefinitionLoadError[] };

type Raw = Record<string, unknown>;

export function definitionHash(source: unknown): string {
  const canonical = JSON.stringify(source, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Raw).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return `sha256:${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

/** Aliases a definition may expand, in all (the yaml library's own guard against alias bombs). */
const MAX_ALIAS_COUNT = 100;

function firstAlias(doc: ReturnType<typeof parseDocument>, lines: LineCounter): { line?: number; column?: number } {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return {};
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** Strings (keys included) that Postgres could not store in a decision row. */
function unstorableStrings(value: unknown, path: (string | number)[] = []): Array<{ path: (string | number)[]; message: string }> {
  if (typeof value === 'string') {
    const bad = unstorableText(value);
    return bad ? [{ path, message: bad }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableStrings(item, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const bad = unstorableText(key);
      return bad ? [{ path, message: `a field name ${bad}` }] : unstorableStrings(item, [...path, key]);
    });
  }
  return [];
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
  const fail: Fail = (field, message, where) => errors.push({ file, field, message, ...(Array.isArray(where) ? at(where) : (where ?? {})) });

  for (const error of doc.errors) {
    const [pos] = error.pos;
    const { line, col } = lines.linePos(pos);
    errors.push({ file, field: '(yaml)', message: error.message.split('\n')[0], line, column: col });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (!isMap(doc.contents)) return { ok: false, errors: [{ file, field: '(root)', message: 'must be a mapping of fields' }] };
  let raw: Raw;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Raw;
  } catch (error) {
    // An alias bomb (aliases of aliases, expanding without bound) and the like: refused, not followed.
    return { ok: false, errors: [{ file, field: '(yaml)', message: (error as Error).message.split('\n')[0], ...firstAlias(doc, lines) }] };
  }
  for (const problem of unstorableStrings(raw)) fail(problem.path.join('.'), problem.message, problem.path);

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
