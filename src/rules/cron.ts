// Five-field cron expressions (pure), checked at load the way Temporal will read them, so an
// impossible schedule is refused with its field and position instead of failing reconciliation.

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

type Field = (typeof FIELDS)[number];

function valueOf(field: Field, token: string): number | undefined {
  if (/^\d{1,2}$/.test(token)) return Number(token);
  const names: readonly string[] | undefined = 'names' in field ? field.names : undefined;
  const index = names?.indexOf(token.toUpperCase()) ?? -1;
  if (index < 0) return undefined;
  return field.name === 'month' ? index + 1 : index;
}

/** The problem of one comma-separated part of a field, or undefined. */
function partProblem(field: Field, part: string): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined) return `"${part}" has more than one step`;
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) return `step "${step}" must be a whole number of at least 1`;
  // Temporal refuses Quartz's "?" (no specific value): it is not a value of any field here.
  if (range === '*') return undefined;
  const [from, to, more] = range.split('-');
  if (more !== undefined || from === '') return `"${range}" is not a value or a range`;
  const start = valueOf(field, from);
  const end = to === undefined ? start : valueOf(field, to);
  for (const [token, value] of [
    [from, start],
    [to, end],
  ] as const) {
    if (token === undefined) continue;
    if (value === undefined) return `"${token}" is not a ${field.name}`;
    if (value < field.min || value > field.max) return `${value} is outside ${field.min}-${field.max}`;
  }
  if ((start as number) > (end as number)) return `range "${range}" ends before it starts`;
  return undefined;
}

/** Why `cron` is not a schedule Temporal can run, with the 1-based column of the problem, or undefined. */
export function cronProblem(cron: string): { message: string; column: number } | undefined {
  const fields = [...cron.matchAll(/\S+/g)];
  if (fields.length !== 5) return { message: 'must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1"', column: 1 };
  for (let i = 0; i < 5; i++) {
    const field = FIELDS[i];
    let offset = fields[i].index ?? 0;
    for (const part of fields[i][0].split(',')) {
      const problem = part === '' ? 'an empty list item' : partProblem(field, part);
      if (problem) return { message: `${field.name} ${problem}`, column: offset + 1 };
      offset += part.length + 1;
    }
  }
  return undefined;
}
