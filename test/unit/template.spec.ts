import { CelCompileError } from '../../src/rules/cel';
import { compileTemplate } from '../../src/rules/template';

const context = {
  event: { subject: 'acme-api', data: { severity: 'high', count: 3, tags: ['a', 'b'], nothing: null, big: 12345678901234567890n } },
  now: new Date('2026-11-28T06:00:00Z'),
};

describe('compileTemplate', () => {
  it.each([
    ['plain text', 'Fix the SBOM', 'Fix the SBOM'],
    ['an empty template', '', ''],
    ['one expression', '{{ event.subject }}', 'acme-api'],
    ['text around expressions', 'Fix {{ event.subject }} ({{event.data.severity}})', 'Fix acme-api (high)'],
    ['a number', 'count={{ event.data.count }}', 'count=3'],
    ['a list, as JSON', 'tags={{ event.data.tags }}', 'tags=["a","b"]'],
    ['null, as nothing', '[{{ event.data.nothing }}]', '[]'],
    ['a timestamp, as ISO 8601', 'at {{ now }}', 'at 2026-11-28T06:00:00.000Z'],
    ['a big integer, in full', '{{ event.data.big }}', '12345678901234567890'],
    ['an expression over two lines', 'x{{ event.data.severity\n + "!" }}', 'xhigh!'],
    ['single braces as text', '{ not } {an expression}', '{ not } {an expression}'],
  ])('renders %s', (_what, source, expected) => {
    const sut = compileTemplate(source);
    expect(sut.source).toBe(source);
    expect(sut.render(context)).toBe(expected);
  });

  it.each([
    ['one expression keeps its type', '{{ event.data.count }}', true, 3],
    ['a list stays a list', '{{ event.data.tags }}', true, ['a', 'b']],
    ['text around an expression is text', 'n{{ event.data.count }}', false, 'n3'],
    ['plain text is text', 'high', false, 'high'],
  ])('values: %s', (_what, source, single, value) => {
    const sut = compileTemplate(source);
    expect(sut.single).toBe(single);
    expect(sut.value(context)).toEqual(value);
  });

  it.each([
    ['an unclosed placeholder', 'Fix {{ event.subject', "unclosed '{{'", 1, 5],
    ['an unclosed placeholder after a good one', '{{ event.subject }}\n  {{ x', "unclosed '{{'", 2, 3],
    ['an unknown variable', 'Fix {{ subject }}', "undeclared reference to 'subject'", 1, 8],
    ['an unknown variable on the second line', 'Fix\n  {{ other }}', "undeclared reference to 'other'", 2, 6],
  ])('refuses %s with its position in the template', (_what, source, message, line, column) => {
    let error: unknown;
    try {
      compileTemplate(source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CelCompileError);
    expect((error as CelCompileError).detail).toEqual({ message, line, column });
  });

  it('refuses a syntax error inside a placeholder', () => {
    expect(() => compileTemplate('Fix {{ event. }}')).toThrow(CelCompileError);
  });
});
