// Tables for the small pure helpers: rate-limit durations, spawn-log cursors, replay's diff and
// JetStream's redelivery delay, and the one order lock keys are taken in.
import { nakDelay } from '../../src/common/backoff';
import { compareKeys, inKeyOrder } from '../../src/common/key-order';
import { diffDecisions } from '../../src/rules/replay';
import { parseDuration } from '../../src/rules/duration';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../src/spawn-log/cursor';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['0s', 0],
    ['  2h ', 7_200_000],
    ['5 m', 300_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([[''], ['7'], ['d'], ['1.5h'], ['-1h'], ['1w'], ['1H'], ['1h30m'], ['one hour']])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('spawn-log cursors', () => {
  const cursor = { createdAt: new Date('2026-11-28T06:00:00.123Z'), id: '6b1f3d2e-0000-4000-8000-000000000001' };
  const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

  it('decodes what it encoded', () => {
    const sut = encodeCursor(cursor);
    expect(sut).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(sut)).toEqual(cursor);
  });

  it.each([
    ['an empty cursor', ''],
    ['text that is not base64url JSON', 'not-a-cursor'],
    ['JSON of another shape', base64url({ createdAt: '2026-11-28T06:00:00Z', id: cursor.id })],
    ['a date that is no date', base64url(['yesterday', cursor.id])],
    ['an id that is not a UUID', base64url(['2026-11-28T06:00:00Z', "1' OR '1'='1"])],
    ['a missing id', base64url(['2026-11-28T06:00:00Z'])],
    ['JSON null', base64url('null')],
  ])('refuses %s with INVALID_CURSOR', (_what, text) => {
    expect(() => decodeCursor(text)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(text)).toThrow('cursor is not one this API returned');
  });
});

describe('replay diff', () => {
  type Draft = Parameters<typeof diffDecisions>[0][number];
  type Row = Parameters<typeof diffDecisions>[1][number];
  const draft = (definitionId: string, dedupeKey: string) => ({ definition: { id: definitionId }, dedupeKey }) as Draft;
  const row = (definitionId: string, dedupeKey: string) => ({ activity_definition_id: definitionId, dedupe_key: dedupeKey }) as Row;

  it.each([
    ['nothing on either side', [], [], [], [], 0],
    ['the same decisions', [draft('d1', 'e1'), draft('d1', 'e2')], [row('d1', 'e1'), row('d1', 'e2')], [], [], 2],
    ['a decision that would be new', [draft('d1', 'e1'), draft('d1', 'e2')], [row('d1', 'e1')], ['d1/e2'], [], 1],
    ['a recorded decision that would no longer happen', [draft('d1', 'e1')], [row('d1', 'e1'), row('d1', 'e2')], [], ['d1/e2'], 1],
    ['one key under two definitions', [draft('d2', 'e1')], [row('d1', 'e1')], ['d2/e1'], ['d1/e1'], 0],
    ['keys that would join alike with a separator', [draft('d1:a', 'b')], [row('d1', 'a:b')], ['d1:a/b'], ['d1/a:b'], 0],
  ])('%s', (_what, wouldBe, recorded, added, removed, unchanged) => {
    const sut = diffDecisions(wouldBe, recorded);
    expect(sut.added.map((d) => `${d.definition.id}/${d.dedupeKey}`)).toEqual(added);
    expect(sut.removed.map((r) => `${r.activity_definition_id}/${r.dedupe_key}`)).toEqual(removed);
    expect(sut.unchanged).toBe(unchanged);
  });
});

describe('nakDelay', () => {
  it.each([
    [0, 500],
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [6, 16_000],
    [7, 30_000],
    [1_000, 30_000],
  ])('delivery %d is redelivered after %d ms (doubling from 0.5 s, at most 30 s)', (deliveryCount, ms) => {
    expect(nakDelay(deliveryCount)).toBe(ms);
  });
});

describe('key order', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['Z', 'a', -1], // code units, not locale: upper case first
    ['a\u0000b', 'a:b', -1], // the separator of (source, id) sorts before every printable character
    ['é', 'z', 1],
    ['', 'a', -1],
  ])('compares %j with %j as %d', (a, b, expected) => {
    expect(Math.sign(compareKeys(a, b))).toBe(expected);
  });

  it('puts values in the order of their keys, whatever order they came in', () => {
    const entries: Array<[string, number]> = [
      ['src\u0000b', 2],
      ['src\u0000a', 1],
      ['other\u0000z', 0],
    ];
    expect(inKeyOrder(entries)).toEqual([0, 1, 2]);
    expect(inKeyOrder([...entries].reverse())).toEqual([0, 1, 2]);
    expect(inKeyOrder(new Map(entries))).toEqual([0, 1, 2]);
  });
});
