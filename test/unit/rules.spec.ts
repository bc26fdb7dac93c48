import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinitions } from '../../src/rules/definition.loader';
import { parseDefinition } from '../../src/rules/definition.parser';
import { formatLoadError } from '../../src/rules/definition.types';
import { eventDedupeKey, isKeyOfEvent, tickDedupeKey } from '../../src/rules/dedupe-key';
import { evaluateRule, scheduleTriggerId } from '../../src/rules/evaluate';
import { RuleIndex } from '../../src/rules/rule-index';
import { uuidV5 } from '../../src/rules/uuid-v5';
import { aDefinition, anEvent, EVENT_RULE } from '../factories/definition';
import { DefinitionsDir } from '../support/definitions-dir';

const NOW = new Date('2026-11-27T06:00:00Z');

describe('rule evaluation', () => {
  const sut = aDefinition(EVENT_RULE);

  it.each([
    ['a high-severity event matches', anEvent(), true, undefined],
    ['a low-severity event does not', anEvent({ data: { severity: 'low' } }), false, 'condition_false'],
    ['a missing field is a non-match with the error', anEvent({ data: {} }), false, 'evaluation_error'],
    ['no data at all is a non-match with the error', anEvent({ data: undefined }), false, 'evaluation_error'],
  ])('%s', (_name, event, matched, reason) => {
    const outcome = evaluateRule(sut, { event, now: NOW, triggeringEventId: event.id });
    expect(outcome.matched).toBe(matched);
    if (!outcome.matched) {
      expect(outcome.reason).toBe(reason);
      if (reason === 'evaluation_error') expect(outcome.error).toMatch(/No such key: severity|No such key: data/);
    }
  });

  it('renders the exact ten-field task spec with templates', () => {
    const outcome = evaluateRule(sut, { event: anEvent(), now: NOW, triggeringEventId: 'evt-1' });
    if (!outcome.matched) throw new Error('expected a match');
    expect(outcome.decision.taskSpec).toEqual({
      title: 'Fix SBOM for acme-api',
      description: '',
      target_repo: 'acme-api',
      priority: 'high',
      labels: ['sbom', 'high'],
      due_in_days: null,
      source_type: 'rule',
      source_id: 'sbom-failed',
      triggering_event_id: 'evt-1',
      activity_definition_id: uuidV5('sbom-failed'),
    });
    expect(outcome.decision.dedupeKey).toBe('evt-1@ci://builds');
    expect(outcome.decision.workflowId).toBe('spawn/sbom-failed/evt-1@ci://builds');
    expect(outcome.evaluation).toEqual({ event_id: 'evt-1', subject: 'acme-api', time: '2026-11-20T06:00:00Z', now: NOW.toISOString(), result: true });
  });

  it('gives the same decision for the same inputs', () => {
    const input = { event: anEvent(), now: NOW, triggeringEventId: 'evt-1' };
    expect(JSON.stringify(evaluateRule(sut, input))).toBe(JSON.stringify(evaluateRule(sut, input)));
  });

  it('records a template that fails at evaluation as an invalid decision with the reason, not a crash', () => {
    const outcome = evaluateRule(sut, { event: anEvent({ subject: undefined }), now: NOW, triggeringEventId: 'evt-1' });
    expect(outcome).toMatchObject({ matched: true, decision: { invalid: expect.stringMatching(/^task\.title: .*subject/) } });
  });

  it('does not evaluate a disabled rule', () => {
    const disabled = aDefinition(EVENT_RULE.replace('key: sbom-failed', 'key: sbom-failed\nenabled: false'));
    expect(evaluateRule(disabled, { event: anEvent(), now: NOW, triggeringEventId: 'evt-1' })).toMatchObject({ matched: false, reason: 'disabled' });
  });

  it.each([
    [{ source: 'ci://builds', id: 'evt-1' }, undefined, 'evt-1@ci://builds'],
    [{ source: 'ci://builds', id: 'evt-1' }, 'acme', 'evt-1:acme@ci://builds'],
    [{ source: 'a@b%', id: 'x:y@z%' }, 'k:@', 'x%3Ay%40z%25:k:@@a%40b%25'],
  ])('dedupe key of event %j with %s is %s', (event, rendered, expected) => {
    expect(eventDedupeKey(event, rendered)).toBe(expected);
    expect(isKeyOfEvent(expected, event)).toBe(true);
  });

  it('tick keys keep their form: the tick id, then the rendered key', () => {
    expect(tickDedupeKey('schedule:r:2026-11-23T06:00:00.000Z', 'acme')).toBe('schedule:r:2026-11-23T06:00:00.000Z:acme');
  });

  it('the dedupe key is unambiguous: id a:b with key c, id a with key b:c, two sources with one id', () => {
    const keyed = aDefinition(`${EVENT_RULE}\ndedupe_key: "{{ event.data.key }}"`);
    const keyOf = (event: ReturnType<typeof anEvent>) => {
      const outcome = evaluateRule(keyed, { event, now: NOW, triggeringEventId: event.id });
      if (!outcome.matched) throw new Error('expected a match');
      return outcome.decision.dedupeKey;
    };
    const keys = [
      keyOf(anEvent({ id: 'a:b', data: { severity: 'high', key: 'c' } })),
      keyOf(anEvent({ id: 'a', data: { severity: 'high', key: 'b:c' } })),
      keyOf(anEvent({ id: 'a', source: 'other', data: { severity: 'high', key: 'b:c' } })),
    ];
    expect(new Set(keys).size).toBe(3);
    expect(isKeyOfEvent(keys[1], { source: 'other', id: 'a' })).toBe(false);
  });

  it('uses the dedupe_key template, joined to the event', () => {
    const keyed = aDefinition(`${EVENT_RULE}\ndedupe_key: "{{ event.subject }}-{{ event.data.severity }}"`);
    const outcome = evaluateRule(keyed, { event: anEvent({ id: 'evt-9' }), now: NOW, triggeringEventId: 'evt-9' });
    expect(outcome.matched && outcome.decision.dedupeKey).toBe('evt-9:acme-api-high@ci://builds');
  });

  it.each([
    ['an empty title', 'title: "{{ event.data.title }}"', { title: '' }, 'title renders empty'],
    ['a blank target_repo', 'target_repo: "{{ event.data.repo }}"', { repo: '  ' }, 'target_repo renders empty'],
    [
      'a priority outside the set',
      'priority: "{{ event.data.priority }}"',
      { priority: 'urgent' },
      'priority "urgent" is not one of low, medium, high, critical',
    ],
    ['a NUL in a label', 'labels: ["{{ event.data.label }}"]', { label: 'a\u0000' }, 'labels[0] contains the NUL character'],
    ['a dedupe key that renders empty', 'dedupe_key: "{{ event.data.key }}"', { key: '' }, 'dedupe_key renders empty'],
    ['a dedupe key over 64 KiB', 'dedupe_key: "{{ event.data.key }}"', { key: 'k'.repeat(65_537) }, 'dedupe_key renders 65537 bytes, over the limit of 65536'],
  ])('a rendered spec with %s is invalid, with the reason', (_what, line, data, problem) => {
    const yaml = line.startsWith('dedupe_key') ? `${EVENT_RULE}\n${line}` : EVENT_RULE.replace(new RegExp(`^  ${line.split(':')[0]}:.*$`, 'm'), `  ${line}`);
    const definition = aDefinition(yaml);
    const event = anEvent({ data: { severity: 'high', ...data } });
    const outcome = evaluateRule(definition, { event, now: NOW, triggeringEventId: event.id });
    expect(outcome).toMatchObject({ matched: true, decision: { invalid: expect.stringContaining(problem), dedupeKey: 'evt-1@ci://builds' } });
    expect(JSON.stringify(outcome.matched && outcome.decision.taskSpec)).not.toContain('\\u0000');
  });

  it('compares times with `now` (flag-stale-sbom)', () => {
    const rule = aDefinition(readFileSync(join(__dirname, '../../definitions/flag-stale-sbom.yaml'), 'utf8'));
    const tick = new Date('2026-11-30T06:00:00Z');
    const triggeringEventId = scheduleTriggerId('flag-stale-sbom', tick);
    const at = (time: string) => evaluateRule(rule, { event: anEvent({ type: 'sbom.generated', time }), now: tick, triggeringEventId });
    expect(at('2026-11-23T07:00:00Z').matched).toBe(false); // 6 days 23 hours
    const stale = at('2026-11-23T05:00:00Z'); // 7 days 1 hour
    expect(stale.matched).toBe(true);
    if (stale.matched) expect(stale.decision.dedupeKey).toBe('schedule:flag-stale-sbom:2026-11-30T06:00:00.000Z:acme-api');
  });

  it('indexes event rules by type', () => {
    const other = aDefinition(EVENT_RULE.replace('sbom-failed', 'other').replace('type: sbom.failed', 'type: deploy.done'));
    const index = new RuleIndex([sut, other, aDefinition(readFileSync(join(__dirname, '../../definitions/flag-stale-sbom.yaml'), 'utf8'))]);
    expect(index.candidates('sbom.failed').map((d) => d.key)).toEqual(['sbom-failed']);
    expect(index.candidates('deploy.done').map((d) => d.key)).toEqual(['other']);
    expect(index.candidates('sbom.generated')).toEqual([]);
  });
});

describe('definition load errors', () => {
  const errorsOf = (yaml: string) => {
    const result = parseDefinition('definitions/x.yaml', yaml);
    if (result.ok) throw new Error('expected the definition to be refused');
    return result.errors.map(formatLoadError);
  };

  it.each([
    [
      'an undeclared variable in the condition',
      EVENT_RULE.replace('event.data.severity == "high"', 'evnt.data == 1'),
      "definitions/x.yaml: condition: undeclared reference to 'evnt' at 1:1",
    ],
    [
      'a syntax error in the condition',
      EVENT_RULE.replace('event.data.severity == "high"', 'event.data =='),
      'definitions/x.yaml: condition: Unexpected token: EOF at 1:14',
    ],
    [
      'a template that does not compile',
      EVENT_RULE.replace('Fix SBOM for {{ event.subject }}', 'Fix {{ evnt.subject }}'),
      "definitions/x.yaml: task.title: undeclared reference to 'evnt' at 1:8",
    ],
    [
      'an unclosed template',
      EVENT_RULE.replace('Fix SBOM for {{ event.subject }}', 'Fix {{ event.subject'),
      "definitions/x.yaml: task.title: unclosed '{{' at 1:5",
    ],
    ['YAML that does not parse', 'key: [unclosed', 'definitions/x.yaml: (yaml):'],
    ['a missing key', EVENT_RULE.replace('key: sbom-failed\n', ''), 'definitions/x.yaml: key: required'],
    ['an unknown field', `${EVENT_RULE}\nconditon: x`, 'definitions/x.yaml: conditon: unknown field'],
    [
      'two triggers',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { event: { type: a }, schedule: { cron: "* * * * *" } }'),
      'definitions/x.yaml: trigger: must have exactly one of',
    ],
    [
      'a bad cron',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { schedule: { cron: "every monday" } }'),
      'definitions/x.yaml: trigger.schedule.cron: must be a five-field cron',
    ],
    [
      'a bad time zone',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { schedule: { cron: "0 6 * * 1", timezone: Mars/Olympus } }'),
      'definitions/x.yaml: trigger.schedule.timezone: unknown time zone "Mars/Olympus"',
    ],
    [
      'a time zone in the wrong case',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { schedule: { cron: "0 6 * * 1", timezone: europe/paris } }'),
      'definitions/x.yaml: trigger.schedule.timezone: time zone names are case-sensitive: "Europe/Paris"',
    ],
    [
      'an impossible cron',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { schedule: { cron: "61 25 32 13 8" } }'),
      'definitions/x.yaml: trigger.schedule.cron: minute 61 is outside 0-59 (column 1 of the expression)',
    ],
    [
      'an hour out of range',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { schedule: { cron: "0 6,25 * * 1" } }'),
      'definitions/x.yaml: trigger.schedule.cron: hour 25 is outside 0-23 (column 5 of the expression)',
    ],
    [
      'a step of 0',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { schedule: { cron: "*/0 * * * *" } }'),
      'definitions/x.yaml: trigger.schedule.cron: minute step "0" must be a whole number of at least 1',
    ],
    [
      'Quartz\'s "?", which Temporal refuses',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { schedule: { cron: "0 6 ? * 1" } }'),
      'definitions/x.yaml: trigger.schedule.cron: day of month "?" is not a day of month (column 5 of the expression)',
    ],
    [
      'a backwards range',
      EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', 'trigger: { schedule: { cron: "0 6 * * FRI-MON" } }'),
      'definitions/x.yaml: trigger.schedule.cron: day of week range "FRI-MON" ends before it starts',
    ],
    [
      'an empty literal title',
      EVENT_RULE.replace('title: "Fix SBOM for {{ event.subject }}"', 'title: ""'),
      'definitions/x.yaml: task.title: must not be empty',
    ],
    [
      'a literal priority outside the set',
      EVENT_RULE.replace('priority: high', 'priority: urgent'),
      'definitions/x.yaml: task.priority: must be one of low, medium, high, critical',
    ],
    [
      'a NUL in the condition',
      EVENT_RULE.replace('condition: \'event.data.severity == "high"\'', 'condition: "event.data.severity == \\"\\0\\""'),
      'definitions/x.yaml: condition: contains the NUL character',
    ],
    [
      'a YAML alias bomb',
      `${EVENT_RULE}\ndedupe_key: &a "x"\n${Array.from(
        { length: 8 },
        (_, i) =>
          `x${i}: &b${i} [${Array(9)
            .fill(i ? `*b${i - 1}` : '*a')
            .join(',')}]`,
      ).join('\n')}\n`,
      'definitions/x.yaml: (yaml): Excessive alias count',
    ],
    ['a scope on an event rule', `${EVENT_RULE}\nscope: { latest_of: x }`, 'definitions/x.yaml: scope: only schedule rules have a scope'],
    ['a missing task title', EVENT_RULE.replace('  title: "Fix SBOM for {{ event.subject }}"\n', ''), 'definitions/x.yaml: task.title: must be a string'],
    ['bad limits', `${EVENT_RULE}\nlimits: { max_spawns: 0, per: 1h }`, 'definitions/x.yaml: limits.max_spawns: must be a whole number of at least 1'],
    ['a bad limits window', `${EVENT_RULE}\nlimits: { max_spawns: 5, per: soon }`, 'definitions/x.yaml: limits.per: must be a duration'],
    ['a bad id', `${EVENT_RULE}\nid: not-a-uuid`, 'definitions/x.yaml: id: must be a uuid'],
    [
      'labels that are not a list',
      EVENT_RULE.replace('labels: [sbom, "{{ event.data.severity }}"]', 'labels: sbom'),
      'definitions/x.yaml: task.labels: must be a list of strings',
    ],
  ])('refuses %s', (_name, yaml, expected) => {
    expect(errorsOf(yaml).some((line) => line.startsWith(expected))).toBe(true);
  });

  it.each([['0 6 * * 1'], ['*/15 0-23/2 1,15 JAN-jun *'], ['0 0 L * *'.replace('L', '31')], ['0 6 * * 7']])('takes the cron %s', (cron) => {
    expect(aDefinition(EVENT_RULE.replace('trigger: { event: { type: sbom.failed } }', `trigger: { schedule: { cron: "${cron}" } }`)).trigger).toMatchObject({
      kind: 'schedule',
      cron,
    });
  });

  it('gives the YAML position of a schema error', () => {
    const [line] = errorsOf(`${EVENT_RULE}limits: { max_spawns: 0, per: 1h }\n`);
    expect(line).toBe('definitions/x.yaml: limits.max_spawns: must be a whole number of at least 1 at 10:23');
  });

  it('takes the given id, or the UUIDv5 of the key, and hashes the definition', () => {
    const given = aDefinition(`${EVENT_RULE}\nid: 3F1C0A52-1111-4222-8333-444455556666`);
    expect(given.id).toBe('3f1c0a52-1111-4222-8333-444455556666');
    const derived = aDefinition(EVENT_RULE);
    expect(derived.id).toBe(uuidV5('sbom-failed'));
    expect(derived.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derived.hash).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(aDefinition(EVENT_RULE.replace('priority: high', 'priority: low')).hash).not.toBe(derived.hash);
  });
});

describe('loading a definitions folder', () => {
  it('loads the good files, refuses the broken ones and a second use of a key', () => {
    const dir = new DefinitionsDir()
      .write('a.yaml', EVENT_RULE)
      .write('b.yaml', EVENT_RULE.replace('priority: high', 'priority: low'))
      .write('c.yml', "key: broken\ntrigger: { event: { type: x } }\ncondition: 'evnt.a'\ntask: { title: t, target_repo: r }\n")
      .write('notes.txt', 'not a definition');
    try {
      const { definitions, errors } = loadDefinitions(dir.path);
      expect(definitions.map((d) => d.key)).toEqual(['sbom-failed']);
      expect(definitions[0].file).toMatch(/a\.yaml$/);
      expect(errors.map(formatLoadError)).toEqual([
        expect.stringMatching(/b\.yaml: key: key already used by .*a\.yaml$/),
        expect.stringMatching(/c\.yml: condition: undeclared reference to 'evnt' at 1:1$/),
      ]);
    } finally {
      dir.cleanup();
    }
  });

  it('refuses an oversized file and an alias bomb on their own; the others load', () => {
    const bomb = [
      'key: bomb',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n');
    const dir = new DefinitionsDir()
      .write('a-bomb.yaml', bomb)
      .write('b-huge.yaml', `${EVENT_RULE}\n#${'x'.repeat(70_000)}\n`)
      .write('c.yaml', EVENT_RULE);
    try {
      const { definitions, errors } = loadDefinitions(dir.path);
      expect(definitions.map((d) => d.key)).toEqual(['sbom-failed']);
      expect(errors.map(formatLoadError)).toEqual([
        expect.stringMatching(/a-bomb\.yaml: \(yaml\): Excessive alias count .* at 3:\d+$/),
        expect.stringMatching(/b-huge\.yaml: \(file\): is \d+ bytes, over the limit of 65536$/),
      ]);
    } finally {
      dir.cleanup();
    }
  });

  it('reports a missing folder as a load error, not a crash', () => {
    const { definitions, errors } = loadDefinitions('/nonexistent/definitions');
    expect(definitions).toEqual([]);
    expect(errors[0]).toMatchObject({ field: '(directory)', message: expect.stringContaining('ENOENT') });
  });
});
