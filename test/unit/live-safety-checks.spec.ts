// The checks that keep hostile input and live mode safe: the task payload contract, the rendered
// dedupe key's bounds, and cron expressions as Temporal reads them.
import { MAX_RENDERED_KEY_LENGTH } from '../../src/events/limits';
import { cronProblem } from '../../src/rules/cron';
import { renderedKeyProblem, storableCopy, taskSpecProblems } from '../../src/rules/task-spec-contract';
import type { TaskSpec } from '../../src/rules/task-spec';
import { aTaskSpec } from '../factories/task-spec';

describe('the task payload contract', () => {
  it.each([
    ['the seed payload', {}],
    ['every priority issue-core accepts', { priority: 'critical' }],
    ['a due date in days', { due_in_days: 7 }],
    ['due today', { due_in_days: 0 }],
    ['no labels', { labels: [] }],
    ['non-ASCII text and astral characters', { title: 'Fix 日本/api 😀', target_repo: 'été' }],
  ])('keeps %s', (_what, overrides) => {
    expect(taskSpecProblems(aTaskSpec(overrides as Partial<TaskSpec>))).toEqual([]);
  });

  it.each([
    ['an empty title', { title: '' }, ['title renders empty']],
    ['a blank target_repo', { target_repo: '  ' }, ['target_repo renders empty']],
    ['an unknown priority', { priority: 'urgent' }, ['priority "urgent" is not one of low, medium, high, critical']],
    [
      'a priority with a NUL, stored readable',
      { priority: 'hi\u0000gh' },
      ['priority "hi\ufffdgh" is not one of low, medium, high, critical', 'priority contains the NUL character (U+0000), which Postgres cannot store'],
    ],
    ['labels that are not strings', { labels: ['a', 7] }, ['labels must be a list of strings']],
    ['a negative due date', { due_in_days: -1 }, ['due_in_days must be a whole number of days of at least 0, or null']],
    ['a fractional due date', { due_in_days: 1.5 }, ['due_in_days must be a whole number of days of at least 0, or null']],
    ['a NUL in the description', { description: 'a\u0000b' }, ['description contains the NUL character (U+0000), which Postgres cannot store']],
    [
      'a lone surrogate in a label',
      { labels: ['ok', 'x\ud800'] },
      ['labels[1] contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is no Unicode character'],
    ],
    [
      'several problems at once',
      { title: '', target_repo: '', priority: 'p0' },
      ['title renders empty', 'target_repo renders empty', 'priority "p0" is not one of low, medium, high, critical'],
    ],
  ])('names %s', (_what, overrides, problems) => {
    expect(taskSpecProblems(aTaskSpec(overrides as unknown as Partial<TaskSpec>))).toEqual(problems);
  });

  it('copies an invalid spec into one Postgres can store, the rest unchanged', () => {
    const spec = aTaskSpec({ title: 'a\u0000b', labels: ['\udfffx'], priority: 'high' });
    expect(storableCopy(spec)).toEqual({ ...spec, title: 'a\ufffdb', labels: ['\ufffdx'] });
  });
});

describe('the rendered dedupe key', () => {
  it.each([
    ['an ordinary key', 'acme-api'],
    [`a key of exactly ${MAX_RENDERED_KEY_LENGTH} bytes`, 'k'.repeat(MAX_RENDERED_KEY_LENGTH)],
    ['a key with non-ASCII characters', '日本/api'],
  ])('takes %s', (_what, key) => {
    expect(renderedKeyProblem(key)).toBeUndefined();
  });

  it.each([
    ['an empty key', '', 'dedupe_key renders empty'],
    ['a blank key', ' \n', 'dedupe_key renders empty'],
    ['a NUL', 'a\u0000', 'dedupe_key contains the NUL character (U+0000), which Postgres cannot store'],
    ['a lone surrogate', '\ud800', 'dedupe_key contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is no Unicode character'],
    [
      'one byte over the limit',
      'k'.repeat(MAX_RENDERED_KEY_LENGTH + 1),
      `dedupe_key renders ${MAX_RENDERED_KEY_LENGTH + 1} bytes, over the limit of ${MAX_RENDERED_KEY_LENGTH}`,
    ],
    [
      'over the limit in bytes, not characters',
      '日'.repeat(MAX_RENDERED_KEY_LENGTH / 2),
      `dedupe_key renders ${(MAX_RENDERED_KEY_LENGTH / 2) * 3} bytes, over the limit of ${MAX_RENDERED_KEY_LENGTH}`,
    ],
  ])('refuses %s', (_what, key, problem) => {
    expect(renderedKeyProblem(key)).toBe(problem);
  });
});

describe('cron expressions', () => {
  it.each([['0 6 * * 1'], ['*/15 0-23/2 1,15 JAN-jun *'], ['0 0 31 * *'], ['0 6 * * 7'], ['0 6 * * sun-sat'], ['59 23 1-31/2 12 0'], ['  0   6  *  *  1  ']])(
    'takes %j',
    (cron) => {
      expect(cronProblem(cron)).toBeUndefined();
    },
  );

  it.each([
    ['every monday', 'must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1"', 1],
    ['0 6 * * 1 2026', 'must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1"', 1],
    ['61 * * * *', 'minute 61 is outside 0-59', 1],
    ['0 24 * * *', 'hour 24 is outside 0-23', 3],
    ['0 6,25 * * 1', 'hour 25 is outside 0-23', 5],
    ['0 6 0 * *', 'day of month 0 is outside 1-31', 5],
    ['0 6 * 13 *', 'month 13 is outside 1-12', 7],
    ['0 6 * * 8', 'day of week 8 is outside 0-7', 9],
    ['*/0 * * * *', 'minute step "0" must be a whole number of at least 1', 1],
    ['*/x * * * *', 'minute step "x" must be a whole number of at least 1', 1],
    ['*/2/3 * * * *', 'minute "*/2/3" has more than one step', 1],
    ['0 6 ? * 1', 'day of month "?" is not a day of month', 5],
    ['0 6 L * *', 'day of month "L" is not a day of month', 5],
    ['0 6 * * FRI-MON', 'day of week range "FRI-MON" ends before it starts', 9],
    ['0 6 * * MON-TUE-WED', 'day of week "MON-TUE-WED" is not a value or a range', 9],
    ['0 6 * JANUARY *', 'month "JANUARY" is not a month', 7],
    ['0 6 * * 1,,2', 'day of week an empty list item', 11],
    ['0 6 * * -1', 'day of week "-1" is not a value or a range', 9],
  ])('refuses %j: %s (column %d)', (cron, message, column) => {
    expect(cronProblem(cron)).toEqual({ message, column });
  });
});
