import { parseDecimalInteger, parseId, parseQuery, parseTime } from '../../src/common/input-parsers';
import { MAX_ID_LENGTH } from '../../src/events/limits';
import { testDefinition } from '../../src/rules/rule-tester';
import { aDefinition, anEvent, EVENT_RULE } from '../factories/definition';

describe('one parser per kind of input', () => {
  it.each(['0x10', '0b11', '0o7', ' 1', '1 ', '+1', '-1', '1e2', '1.0', '', 'abc', '١٢'])('refuses the integer %p', (value) => {
    expect(parseDecimalInteger('limit', value, 1, 200)).toEqual({ ok: false, problem: 'limit must be a whole number from 1 to 200, in decimal digits' });
  });

  it.each([
    ['1', 1],
    ['200', 200],
    ['007', 7],
  ])('reads the integer %p', (value, expected) => {
    expect(parseDecimalInteger('limit', value, 1, 200)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '20261128T200000Z',
    '2026-W48-6',
    '2026-332',
    '2026-11-28T20Z',
    '2026-11-28T20:06:55,529Z',
    '2026-11-28T20:06:55',
    '2026-02-30T00:00:00Z',
    '2026-11-28T24:00:00Z',
  ])('refuses the time %p, naming the input', (value) => {
    const parsed = parseTime('since', value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(/^since /);
  });

  it('reads ids up to the one bound', () => {
    expect(parseId('id', 'x'.repeat(MAX_ID_LENGTH))).toEqual({ ok: true, value: 'x'.repeat(MAX_ID_LENGTH) });
    expect(parseId('id', 'x'.repeat(MAX_ID_LENGTH + 1)).ok).toBe(false);
    expect(parseId('id', '   ').ok).toBe(false);
  });

  it.each([
    ['a\u0000b', 'source_id contains the NUL character'],
    ['\u0000', 'source_id contains the NUL character'],
    ['a\ud800', 'source_id contains a lone UTF-16 surrogate'],
    ['\udfffz', 'source_id contains a lone UTF-16 surrogate'],
  ])('refuses the id %j, which Postgres cannot compare with, naming the input', (value, problem) => {
    const parsed = parseId('source_id', value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toContain(problem);
  });

  it('reads an id with a surrogate pair or other Unicode as it is', () => {
    expect(parseId('id', 'repo-😀-日本')).toEqual({ ok: true, value: 'repo-😀-日本' });
  });

  it('reports every problem of a query at once: unknown, repeated, empty, malformed', () => {
    const parsers = { limit: (n: string, v: unknown) => parseDecimalInteger(n, v, 1, 200), since: parseTime };
    expect(parseQuery({ foo: '1', limit: ['1', '2'], since: '' }, parsers)).toEqual({
      ok: false,
      problems: [
        'foo is not a parameter of this route (accepted: limit, since)',
        'limit is given more than once',
        'since is empty: leave it out, or give a value',
      ],
    });
    expect(parseQuery({ limit: '5', since: '2026-11-28T20:00:00Z' }, parsers)).toEqual({
      ok: true,
      values: { limit: 5, since: new Date('2026-11-28T20:00:00Z') },
    });
  });
});

describe('the tester names the stage that refused', () => {
  const sut = aDefinition(EVENT_RULE);
  const now = new Date('2026-11-30T06:00:00Z');

  it.each([
    ['an invalid event', anEvent({ time: '2026-02-30T06:00:00Z' }), 'invalid_event', 'validation'],
    ['another type', anEvent({ type: 'other.type' }), 'wrong_type', 'selection'],
    ['a false condition', anEvent({ data: { severity: 'low' } }), 'condition_false', 'condition'],
    ['a condition error', anEvent({ data: {} }), 'evaluation_error', 'condition'],
  ])('%s', (_name, event, reason, stage) => {
    expect(testDefinition(sut, event, now)).toMatchObject({ matched: false, reason, stage, task_spec: null });
  });

  it('a match has no refusing stage', () => {
    expect(testDefinition(sut, anEvent(), now)).toMatchObject({ matched: true, reason: 'condition_matched', stage: null });
  });
});
