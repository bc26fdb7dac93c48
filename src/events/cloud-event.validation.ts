// CloudEvents 1.0, structured-mode JSON: what an event must be before anything evaluates it.
// Valid means storable: every string, number, depth and length that passes here can be stored in
// Postgres (text, jsonb, the b-tree keys) and evaluated by CEL, so one event can never fail a batch.
import { parseTimestamp } from '../common/timestamp';
import { badAttributeText, unstorableText } from '../common/storable-text';
import { MAX_ATTRIBUTE_LENGTH, MAX_DATA_DEPTH, MAX_ID_LENGTH, MAX_SOURCE_LENGTH, MAX_SUBJECT_LENGTH, MAX_TYPE_LENGTH } from './limits';
import type { CloudEvent } from './cloud-event';

export type ValidationResult = { ok: true; event: CloudEvent } | { ok: false; problems: string[] };

const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const CONTEXT_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data', 'data_base64'];
const STRING_ATTRIBUTES: Record<string, number> = {
  subject: MAX_SUBJECT_LENGTH,
  datacontenttype: MAX_ATTRIBUTE_LENGTH,
  dataschema: MAX_ATTRIBUTE_LENGTH,
};
const REQUIRED: Record<string, number> = { id: MAX_ID_LENGTH, source: MAX_SOURCE_LENGTH, type: MAX_TYPE_LENGTH };
/** Problems named per event at most: a hostile body does not get a hostile answer. */
const MAX_PROBLEMS = 20;

/** A string attribute within its bound: the problem, or undefined. */
function attributeProblem(name: string, value: string, maxBytes: number): string | undefined {
  const bad = badAttributeText(value);
  if (bad) return `${name} ${bad}`;
  if (value.length > maxBytes || Buffer.byteLength(value) > maxBytes) return `${name} is longer than ${maxBytes} bytes (UTF-8)`;
  return undefined;
}

/** `data` (and extension values): strings storable, numbers finite, nesting within MAX_DATA_DEPTH. */
function checkValue(value: unknown, path: string, depth: number, problems: string[]): void {
  if (problems.length >= MAX_PROBLEMS) return;
  if (typeof value === 'string') {
    const bad = unstorableText(value);
    if (bad) problems.push(`${path} ${bad}`);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push(`${path} is a number out of range (beyond ±1.8e308)`);
  } else if (value !== null && typeof value === 'object') {
    if (depth > MAX_DATA_DEPTH) {
      problems.push(`${path} is nested deeper than ${MAX_DATA_DEPTH} levels`);
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) checkValue(value[i], `${path}[${i}]`, depth + 1, problems);
      return;
    }
    for (const key of Object.keys(value)) {
      const bad = unstorableText(key);
      if (bad) problems.push(`${path}: a key ${bad}`);
      checkValue((value as Record<string, unknown>)[key], `${path}.${bad ? '?' : key}`, depth + 1, problems);
    }
  }
}

export function validateCloudEvent(value: unknown): ValidationResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: ['event must be a JSON object (CloudEvents structured mode)'] };
  }
  const event = value as Record<string, unknown>;
  const problems: string[] = [];
  if (event.specversion === undefined) problems.push('specversion is required');
  else if (event.specversion !== '1.0') problems.push(`specversion must be "1.0"`);
  for (const [name, max] of Object.entries(REQUIRED)) {
    const attribute = event[name];
    if (attribute === undefined) problems.push(`${name} is required`);
    else if (typeof attribute !== 'string' || attribute.length === 0) problems.push(`${name} must be a non-empty string`);
    else if (attribute.trim().length === 0) problems.push(`${name} must be a non-blank string`);
    else {
      const bad = attributeProblem(name, attribute, max);
      if (bad) problems.push(bad);
    }
  }
  for (const name of ['subject', 'datacontenttype', 'dataschema', 'data_base64']) {
    const attribute = event[name];
    if (attribute === undefined) continue;
    if (typeof attribute !== 'string') problems.push(`${name} must be a string`);
    else if (name === 'data_base64') checkValue(attribute, name, 1, problems);
    else {
      const bad = attributeProblem(name, attribute, STRING_ATTRIBUTES[name]);
      if (bad) problems.push(bad);
    }
  }
  if (event.subject === '') problems.push('subject must be non-empty when present (CloudEvents)');
  if (event.time !== undefined) {
    const time = parseTimestamp(event.time);
    if (!time.ok) problems.push(`time ${time.problem}`);
  }
  if (event.data !== undefined && event.data_base64 !== undefined) problems.push('data and data_base64 are exclusive');
  if (event.data !== undefined) checkValue(event.data, 'data', 2, problems);
  for (const name of Object.keys(event)) {
    if (CONTEXT_ATTRIBUTES.includes(name)) continue;
    if (!EXTENSION_NAME.test(name)) {
      problems.push(`${unstorableText(name) ? 'an attribute name' : name}: extension attribute names are lower-case letters and digits, at most 20`);
      continue;
    }
    const extension = event[name];
    if (typeof extension === 'string') {
      const bad = attributeProblem(name, extension, MAX_ATTRIBUTE_LENGTH);
      if (bad) problems.push(bad);
    } else if (typeof extension === 'number') checkValue(extension, name, 1, problems);
    else if (typeof extension !== 'boolean' && extension !== null) problems.push(`${name}: extension attributes are strings, numbers or booleans`);
  }
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) } : { ok: true, event: event as unknown as CloudEvent };
}
