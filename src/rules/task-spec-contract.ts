// The payload contract a rendered task spec must keep before a decision is recorded (pure). A spec
// that breaks it is recorded `invalid` with these problems and never emitted, in dry-run as live.
import { unstorableText, toStorableText } from '../common/storable-text';
import type { TaskSpec } from './task-spec';
import { MAX_RENDERED_KEY_LENGTH } from '../events/limits';

/** The priorities issue-core accepts. */
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;

const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
/** NUL or any surrogate: where none is found (nearly always) nothing more is checked. */
// eslint-disable-next-line no-control-regex -- NUL is one of the characters this looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;
const PRIORITY_SET = new Set<string>(PRIORITIES);

/** Every way `spec` breaks the contract; empty when it keeps it (the common case costs a few tests). */
export function taskSpecProblems(spec: TaskSpec): string[] {
  if (
    !isBlank(spec.title) &&
    !isBlank(spec.target_repo) &&
    PRIORITY_SET.has(spec.priority) &&
    spec.due_in_days === null &&
    Array.isArray(spec.labels) &&
    !SUSPECT.test(spec.title) &&
    !SUSPECT.test(spec.description) &&
    !SUSPECT.test(spec.target_repo) &&
    spec.labels.every((label) => typeof label === 'string' && !SUSPECT.test(label))
  ) {
    return [];
  }
  const problems: string[] = [];
  if (isBlank(spec.title)) problems.push('title renders empty');
  if (isBlank(spec.target_repo)) problems.push('target_repo renders empty');
  if (!(PRIORITIES as readonly string[]).includes(spec.priority)) {
    problems.push(`priority ${JSON.stringify(toStorableText(String(spec.priority)))} is not one of ${PRIORITIES.join(', ')}`);
  }
  if (!Array.isArray(spec.labels) || !spec.labels.every((label) => typeof label === 'string')) problems.push('labels must be a list of strings');
  if (spec.due_in_days !== null && !(Number.isInteger(spec.due_in_days) && spec.due_in_days >= 0)) {
    problems.push('due_in_days must be a whole number of days of at least 0, or null');
  }
  for (const field of ['title', 'description', 'target_repo', 'priority'] as const) {
    const bad = typeof spec[field] === 'string' ? unstorableText(spec[field]) : undefined;
    if (bad) problems.push(`${field} ${bad}`);
  }
  (spec.labels ?? []).forEach((label, i) => {
    const bad = typeof label === 'string' ? unstorableText(label) : undefined;
    if (bad) problems.push(`labels[${i}] ${bad}`);
  });
  return problems;
}

/** Why a rendered dedupe_key cannot key a decision, or undefined. */
export function renderedKeyProblem(key: string): string | undefined {
  if (key.trim() === '') return 'dedupe_key renders empty';
  const bad = unstorableText(key);
  if (bad) return `dedupe_key ${bad}`;
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_RENDERED_KEY_LENGTH) return `dedupe_key renders ${bytes} bytes, over the limit of ${MAX_RENDERED_KEY_LENGTH}`;
  return undefined;
}

/** A copy of an invalid spec that Postgres can store (what could not be stored becomes U+FFFD). */
export function storableCopy(spec: TaskSpec): TaskSpec {
  const text = (value: unknown) => (typeof value === 'string' ? toStorableText(value) : value);
  return {
    ...spec,
    title: text(spec.title) as string,
    description: text(spec.description) as string,
    target_repo: text(spec.target_repo) as string,
    priority: text(spec.priority) as string,
    labels: Array.isArray(spec.labels) ? spec.labels.map((label) => text(label) as string) : [],
  };
}
