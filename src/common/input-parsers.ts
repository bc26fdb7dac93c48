// One parser per kind of input (pure): the HTTP query and body, the rule tester and the CLI flags
// all read integers, times and ids through these, so one input gets one answer everywhere.
// Each returns the value or one problem that names the input and the accepted form.
import { MAX_ID_LENGTH } from '../events/limits';
import { unstorableText } from './storable-text';
import { parseTimestamp, TIMESTAMP_FORM } from './timestamp';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const DECIMAL = /^[0-9]{1,15}$/;

/** Decimal digits only (no sign, base prefix, exponent, blank or fraction), within [min, max]. */
export function parseDecimalInteger(name: string, value: unknown, min: number, max: number): Parsed<number> {
  const form = `${name} must be a whole number from ${min} to ${max}, in decimal digits`;
  if (typeof value !== 'string' || !DECIMAL.test(value)) return { ok: false, problem: form };
  const parsed = Number(value);
  return parsed >= min && parsed <= max ? { ok: true, value: parsed } : { ok: false, problem: form };
}

/** A point in time: see src/common/timestamp.ts for the accepted form. */
export function parseTime(name: string, value: unknown): Parsed<Date> {
  const parsed = parseTimestamp(value);
  return parsed.ok ? { ok: true, value: parsed.date } : { ok: false, problem: `${name} ${parsed.problem}` };
}

/** An event id or source, a definition key: non-blank, at most MAX_ID_LENGTH bytes, text Postgres can hold. */
export function parseId(name: string, value: unknown): Parsed<string> {
  if (typeof value !== 'string' || value.trim().length === 0) return { ok: false, problem: `${name} must be a non-blank string` };
  if (Buffer.byteLength(value) > MAX_ID_LENGTH) return { ok: false, problem: `${name} must be at most ${MAX_ID_LENGTH} bytes (UTF-8)` };
  const unstorable = unstorableText(value);
  if (unstorable) return { ok: false, problem: `${name} ${unstorable}` };
  return { ok: true, value };
}

export { MAX_ID_LENGTH, TIMESTAMP_FORM };

/** What a JSON value is, for a message that says why it is not an object. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Parsers for the parameters of one route, keyed by name. */
export type QueryParsers = Record<string, (name: string, value: unknown) => Parsed<unknown>>;

/**
 * A query string read against its route's parameters: an unknown, repeated or empty parameter is a
 * problem like a malformed one, and every problem is reported at once.
 */
export function parseQuery(
  query: Record<string, unknown>,
  parsers: QueryParsers,
): { ok: true; values: Record<string, unknown> } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query ?? {})) {
    const parse = Object.prototype.hasOwnProperty.call(parsers, name) ? parsers[name] : undefined;
    if (!parse) {
      const known = Object.keys(parsers);
      problems.push(`${name} is not a parameter of this route${known.length ? ` (accepted: ${known.join(', ')})` : ''}`);
    } else if (Array.isArray(value)) {
      problems.push(`${name} is given more than once`);
    } else if (typeof value !== 'string') {
      problems.push(`${name} must be a plain value`);
    } else if (value === '') {
      problems.push(`${name} is empty: leave it out, or give a value`);
    } else {
      const parsed = parse(name, value);
      if (parsed.ok) values[name] = parsed.value;
      else problems.push(parsed.problem);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, values };
}

/** A closed set of words, e.g. statuses. */
export function oneOf<T extends string>(choices: readonly T[]) {
  return (name: string, value: unknown): Parsed<T> =>
    choices.includes(value as T) ? { ok: true, value: value as T } : { ok: false, problem: `${name} must be one of: ${choices.join(', ')}` };
}

/** Free text with a length bound (e.g. an opaque cursor). */
export function boundedText(max: number) {
  return (name: string, value: unknown): Parsed<string> =>
    typeof value === 'string' && value.length <= max ? { ok: true, value } : { ok: false, problem: `${name} must be at most ${max} characters` };
}
