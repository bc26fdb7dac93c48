// CloudEvents 1.0, structured-mode JSON: what an event must be before anything evaluates it.
import { parseId } from '../common/input-parsers';
import { parseTimestamp } from '../common/timestamp';
import type { CloudEvent } from '../rules/cloud-event';

export type ValidationResult = { ok: true; event: CloudEvent } | { ok: false; problems: string[] };

const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const CONTEXT_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data', 'data_base64'];

export function validateCloudEvent(value: unknown): ValidationResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: ['event must be a JSON object (CloudEvents structured mode)'] };
  }
  const event = value as Record<string, unknown>;
  const problems: string[] = [];
  const requiredString = (name: string) => {
    if (event[name] === undefined) problems.push(`${name} is required`);
    else if (typeof event[name] !== 'string' || (event[name] as string).length === 0) problems.push(`${name} must be a non-empty string`);
  };
  if (event.specversion === undefined) problems.push('specversion is required');
  else if (event.specversion !== '1.0') problems.push(`specversion must be "1.0"`);
  requiredString('id');
  requiredString('source');
  requiredString('type');
  // The identity has the bound every filter taking an id has, so whatever is stored can be looked up.
  for (const name of ['id', 'source']) {
    const value = event[name];
    if (typeof value !== 'string' || value.length === 0) continue;
    const id = parseId(name, value);
    if (!id.ok) problems.push(id.problem);
  }
  for (const name of ['subject', 'datacontenttype', 'dataschema', 'data_base64']) {
    if (event[name] !== undefined && typeof event[name] !== 'string') problems.push(`${name} must be a string`);
  }
  if (event.subject === '') problems.push('subject must be non-empty when present (CloudEvents)');
  if (event.time !== undefined) {
    const time = parseTimestamp(event.time);
    if (!time.ok) problems.push(`time ${time.problem}`);
  }
  if (event.data !== undefined && event.data_base64 !== undefined) problems.push('data and data_base64 are exclusive');
  for (const name of Object.keys(event)) {
    if (!CONTEXT_ATTRIBUTES.includes(name) && !EXTENSION_NAME.test(name)) {
      problems.push(`${name}: extension attribute names are lower-case letters and digits, at most 20`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, event: event as unknown as CloudEvent };
}
