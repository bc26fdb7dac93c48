// Valid means storable: generated CloudEvents, hostile strings, numbers, depths and times
// included, through validation and the real insert. Either validation refuses the event with a
// reason, or the event is stored as it was sent; never a database error.
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { EventsRepository } from '../../src/events/events.repository';
import { validateCloudEvent } from '../../src/events/cloud-event.validation';
import { parseEventMessage } from '../../src/intake/event-parsing';
import { compileCel } from '../../src/rules/cel';
import { createTestDatabase, openMigratedDataSource, TestDatabase } from '../support/database';

const INFINITY = '@@infinity@@';

/** One UTF-16 unit of any kind: NUL, lone surrogates, controls, separators, astral pairs. */
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', '\u0001', '\u007f', '\u0085', '\ufffe', ':', '@', '%', '"', '\\', 'é') },
  { weight: 5, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);
const text = (maxLength: number) => fc.array(unit, { maxLength }).map((units) => units.join(''));
const longText = fc.oneof(
  text(12),
  text(300),
  fc.integer({ min: 200, max: 1200 }).map((n) => '\u20ac'.repeat(n)),
);

const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constant(INFINITY), fc.constant(-0));
const leaf = fc.oneof(text(20), number, fc.boolean(), fc.constant(null));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(text(8), tie('tree'), { maxKeys: 4 }),
  ),
}));
/** Nesting of any depth, around the bound. */
const deep = fc.integer({ min: 1, max: 3000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { x: value };
  return value;
});

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const time = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 10000 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom('Z', 'z', '+23:59', '-23:59', '+24:00', '.123456789Z', ''),
    )
    .map(([y, mo, d, h, mi, s, zone]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${zone}`),
  text(30),
  number,
);

/** Mostly the ordinary, sometimes hostile: so that both sides of validation are reached. */
const mostly = <T, U>(ordinary: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>) => fc.oneof({ weight: 5, arbitrary: ordinary }, { weight: 1, arbitrary: hostile });
const plain = fc.stringMatching(/^[a-z0-9:@%./-]{1,24}$/);
const absent = fc.constant(undefined);

const event = fc
  .record({
    specversion: mostly(fc.constant('1.0'), leaf),
    id: mostly(plain, fc.oneof(longText, leaf)),
    source: mostly(plain, fc.oneof(longText, leaf)),
    type: mostly(plain, fc.oneof(longText, leaf)),
    subject: mostly(fc.oneof(plain, absent), fc.oneof(longText, leaf)),
    time: mostly(
      fc.oneof(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
        absent,
      ),
      time,
    ),
    datacontenttype: mostly(absent, text(20)),
    data: mostly(fc.oneof(tree, absent), fc.oneof(deep, tree)),
    data_base64: fc.oneof({ weight: 9, arbitrary: absent }, { weight: 1, arbitrary: text(20) }),
    ext: mostly(fc.oneof(absent, plain, fc.integer(), fc.boolean()), fc.oneof(leaf, tree)),
    Bad_Name: fc.oneof({ weight: 19, arbitrary: absent }, { weight: 1, arbitrary: leaf }),
  })
  .map((fields) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)));

/** JSON text as a sender would write it: `1e999` where the generator asked for an infinite number. */
const asJson = (value: unknown) => JSON.stringify(value).replaceAll(`"${INFINITY}"`, '1e999');

describe('event validation against the real insert (property)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: EventsRepository;

  beforeAll(async () => {
    db = await createTestDatabase('storability');
    dataSource = await openMigratedDataSource(db);
    sut = new EventsRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const readsTime = compileCel('has(event.time) ? timestamp(event.time) >= timestamp("0001-01-01T00:00:00Z") : true');

  it('refuses with a reason, or stores the event as sent; never a database error', async () => {
    const outcomes = { stored: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(event, async (generated) => {
        const payload = Buffer.from(asJson(generated), 'utf8');
        const parsed = parseEventMessage(payload, 1 << 20);
        if (!parsed.ok) {
          outcomes.refused++;
          expect(parsed.reason).toMatch(/\S/);
          // A refused message is dead-lettered; that insert never fails on the payload.
          await sut.recordDeadLetters([{ transport: 'test', subject: 'prop\u0000', reason: parsed.reason, payload }]);
          return;
        }
        outcomes.stored++;
        await dataSource.query('DELETE FROM events'); // each run's event on its own: identity is what is checked
        await sut.insertEvents([parsed.event], 'test');
        const [stored] = await dataSource.query(`SELECT envelope FROM events WHERE source = $1 AND id = $2`, [parsed.event.source, parsed.event.id]);
        expect(stored).toBeDefined();
        expect(stored.envelope).toEqual(JSON.parse(JSON.stringify(parsed.event)));
        // And the evaluator takes its time as Postgres did.
        expect(readsTime.evaluate({ event: stored.envelope, now: new Date() })).toBe(true);
      }),
      { numRuns: 400, verbose: 1 },
    );
    // The generator reaches both sides.
    expect(outcomes.stored).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  });

  it.each([
    ['a NUL in data', { data: { note: 'a\u0000b' } }, 'data.note contains the NUL character'],
    ['a lone surrogate in a key', { data: { ['k\ud800']: 1 } }, 'data: a key contains a lone UTF-16 surrogate'],
    ['JSON nested 5000 levels', { data: JSON.parse('['.repeat(5000) + ']'.repeat(5000)) }, `data${'[0]'.repeat(63)} is nested deeper than 64 levels`],
    ['a control character in the id', { id: 'a\nb' }, 'id contains a control character'],
    ['an id over 256 bytes', { id: '\u20ac'.repeat(100) }, 'id is longer than 256 bytes (UTF-8)'],
    ['a subject over 1024 bytes', { subject: 's'.repeat(1025) }, 'subject is longer than 1024 bytes (UTF-8)'],
    ['a number beyond a double', { data: { n: Infinity } }, 'data.n is a number out of range'],
    ['year 10000', { time: '10000-01-01T00:00:00Z' }, 'time must be an RFC 3339 date-time'],
    ['an object extension', { ext: { a: 1 } }, 'ext: extension attributes are strings, numbers or booleans'],
  ])('names the problem: %s', (_what, overrides, problem) => {
    const result = validateCloudEvent({ specversion: '1.0', id: 'e1', source: 'ci', type: 't', ...overrides });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.join('; ')).toContain(problem);
  });
});
