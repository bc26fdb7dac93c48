import { validateCloudEvent } from '../../src/events/cloud-event.validation';
import { MAX_ATTRIBUTE_LENGTH, MAX_DATA_DEPTH, MAX_ID_LENGTH, MAX_SOURCE_LENGTH, MAX_SUBJECT_LENGTH, MAX_TYPE_LENGTH } from '../../src/events/limits';

const MINIMAL = { specversion: '1.0', id: 'e1', source: 'ci', type: 't' };
const event = (overrides: Record<string, unknown>) => ({ ...MINIMAL, ...overrides });
/** `levels` arrays nested in one another. */
const nested = (levels: number): unknown => (levels === 0 ? 1 : [nested(levels - 1)]);

describe('validateCloudEvent', () => {
  it.each([
    ['the four required attributes', MINIMAL],
    [
      'every context attribute',
      event({ subject: 's', time: '2026-11-28T06:00:00Z', datacontenttype: 'application/json', dataschema: 'https://x', data: { a: [1, 'b', null] } }),
    ],
    ['data_base64 instead of data', event({ data_base64: 'aGVsbG8=' })],
    ['extensions: a string, a number, a boolean, null', event({ ext: 'x', seq: 7, flag: true, none: null })],
    [`an id of ${MAX_ID_LENGTH} bytes`, event({ id: 'i'.repeat(MAX_ID_LENGTH) })],
    [`a source of ${MAX_SOURCE_LENGTH} bytes`, event({ source: 's'.repeat(MAX_SOURCE_LENGTH) })],
    [`a type of ${MAX_TYPE_LENGTH} bytes`, event({ type: 't'.repeat(MAX_TYPE_LENGTH) })],
    [`a subject of ${MAX_SUBJECT_LENGTH} bytes`, event({ subject: 's'.repeat(MAX_SUBJECT_LENGTH) })],
    [`an extension of ${MAX_ATTRIBUTE_LENGTH} bytes`, event({ ext: 'x'.repeat(MAX_ATTRIBUTE_LENGTH) })],
    [`data nested to level ${MAX_DATA_DEPTH} (the event is level 1)`, event({ data: nested(MAX_DATA_DEPTH - 1) })],
    ['non-ASCII attributes', event({ id: 'évt-日本', subject: '日本/api' })],
  ])('accepts %s', (_what, value) => {
    const sut = validateCloudEvent(value);
    expect(sut).toEqual({ ok: true, event: value });
  });

  it.each([
    ['an array', [], 'event must be a JSON object (CloudEvents structured mode)'],
    ['null', null, 'event must be a JSON object (CloudEvents structured mode)'],
    ['a string', 'event', 'event must be a JSON object (CloudEvents structured mode)'],
    ['no specversion', { id: 'e1', source: 'ci', type: 't' }, 'specversion is required'],
    ['specversion 0.3', event({ specversion: '0.3' }), 'specversion must be "1.0"'],
    ['no id', { specversion: '1.0', source: 'ci', type: 't' }, 'id is required'],
    ['a numeric id', event({ id: 7 }), 'id must be a non-empty string'],
    ['an empty source', event({ source: '' }), 'source must be a non-empty string'],
    ['a blank type', event({ type: '  ' }), 'type must be a non-blank string'],
    [`an id over ${MAX_ID_LENGTH} bytes`, event({ id: 'i'.repeat(MAX_ID_LENGTH + 1) }), `id is longer than ${MAX_ID_LENGTH} bytes (UTF-8)`],
    ['an id of 86 three-byte characters (258 bytes)', event({ id: '日'.repeat(86) }), `id is longer than ${MAX_ID_LENGTH} bytes (UTF-8)`],
    [
      `a source over ${MAX_SOURCE_LENGTH} bytes`,
      event({ source: 's'.repeat(MAX_SOURCE_LENGTH + 1) }),
      `source is longer than ${MAX_SOURCE_LENGTH} bytes (UTF-8)`,
    ],
    [`a type over ${MAX_TYPE_LENGTH} bytes`, event({ type: 't'.repeat(MAX_TYPE_LENGTH + 1) }), `type is longer than ${MAX_TYPE_LENGTH} bytes (UTF-8)`],
    [
      `a subject over ${MAX_SUBJECT_LENGTH} bytes`,
      event({ subject: 's'.repeat(MAX_SUBJECT_LENGTH + 1) }),
      `subject is longer than ${MAX_SUBJECT_LENGTH} bytes (UTF-8)`,
    ],
    [
      `a datacontenttype over ${MAX_ATTRIBUTE_LENGTH} bytes`,
      event({ datacontenttype: 'a'.repeat(MAX_ATTRIBUTE_LENGTH + 1) }),
      `datacontenttype is longer than ${MAX_ATTRIBUTE_LENGTH} bytes (UTF-8)`,
    ],
    [
      `an extension over ${MAX_ATTRIBUTE_LENGTH} bytes`,
      event({ ext: 'x'.repeat(MAX_ATTRIBUTE_LENGTH + 1) }),
      `ext is longer than ${MAX_ATTRIBUTE_LENGTH} bytes (UTF-8)`,
    ],
    [`data nested past level ${MAX_DATA_DEPTH}`, event({ data: nested(MAX_DATA_DEPTH) }), `is nested deeper than ${MAX_DATA_DEPTH} levels`],
    ['an empty subject', event({ subject: '' }), 'subject must be non-empty when present (CloudEvents)'],
    ['a numeric subject', event({ subject: 5 }), 'subject must be a string'],
    ['a time without a zone', event({ time: '2026-11-28T06:00:00' }), 'time must be an RFC 3339 date-time'],
    ['a time on no calendar', event({ time: '2026-02-30T06:00:00Z' }), 'time is not a calendar date (2026-02-30)'],
    ['data and data_base64 together', event({ data: {}, data_base64: 'eA==' }), 'data and data_base64 are exclusive'],
    ['a NUL in data_base64', event({ data_base64: 'a\u0000' }), 'data_base64 contains the NUL character'],
    ['a tab in the source', event({ source: 'a\tb' }), 'source contains a control character'],
    ['an upper-case extension name', event({ Ext: 'x' }), 'Ext: extension attribute names are lower-case letters and digits, at most 20'],
    ['an extension name of 21 characters', event({ ['e'.repeat(21)]: 'x' }), 'extension attribute names are lower-case letters and digits, at most 20'],
    ['an attribute name with a NUL, not echoed', event({ ['a\u0000']: 'x' }), 'an attribute name: extension attribute names'],
    ['an array extension', event({ ext: [1] }), 'ext: extension attributes are strings, numbers or booleans'],
    ['a non-finite number extension', event({ seq: Number.NaN }), 'seq is a number out of range'],
  ])('refuses %s', (_what, value, problem) => {
    const sut = validateCloudEvent(value);
    expect(sut.ok).toBe(false);
    expect(sut.ok ? [] : sut.problems.join('; ')).toContain(problem);
  });

  it('names every problem of one event, at most 20 of them', () => {
    const sut = validateCloudEvent({ specversion: '2', subject: '' });
    expect(sut.ok ? [] : sut.problems).toEqual([
      'specversion must be "1.0"',
      'id is required',
      'source is required',
      'type is required',
      'subject must be non-empty when present (CloudEvents)',
    ]);
    const hostile = validateCloudEvent(event({ data: Array.from({ length: 100 }, () => '\u0000') }));
    expect(hostile.ok ? [] : hostile.problems).toHaveLength(20);
  });
});
