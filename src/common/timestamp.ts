// One timestamp parser for every input that names a time: event `time`, query filters, the rule
// tester's `now`, CLI flags. RFC 3339 with a zone, checked as a real calendar date, inside the
// range that Postgres `timestamptz`, JavaScript dates and CEL timestamps all hold.

export const TIMESTAMP_FORM = 'an RFC 3339 date-time with a zone, e.g. 2026-11-27T06:00:00Z';

export type TimestampResult = { ok: true; date: Date } | { ok: false; problem: string };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const EARLIEST = new Date(0);
EARLIEST.setUTCFullYear(1, 0, 1);
EARLIEST.setUTCHours(0, 0, 0, 0);
const LATEST = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses `value` strictly; the problem, when there is one, reads after the field's name. */
export function parseTimestamp(value: unknown): TimestampResult {
  const fail = (problem: string): TimestampResult => ({ ok: false, problem });
  if (typeof value !== 'string') return fail(`must be ${TIMESTAMP_FORM}`);
  const match = RFC3339.exec(value);
  if (!match) return fail(`must be ${TIMESTAMP_FORM}`);
  const year = +match[1];
  const month = +match[2];
  const day = +match[3];
  const hour = +match[4];
  const minute = +match[5];
  const second = +match[6];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(`is not a calendar date (${match[1]}-${match[2]}-${match[3]})`);
  }
  if (second === 60) return fail('has second 60: leap seconds cannot be evaluated by CEL, send 23:59:59 instead');
  if (hour > 23 || minute > 59 || second > 59) return fail(`is not a time of day (${match[4]}:${match[5]}:${match[6]})`);
  const offsetMinutes = match[8] ? (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10])) : 0;
  if (match[8] && (Number(match[9]) > 23 || Number(match[10]) > 59))
    return fail(`has an offset that is not a time zone offset (${match[8]}${match[9]}:${match[10]})`);
  // Postgres stores offsets up to ±15:59 (no zone on Earth is beyond ±14:00).
  if (match[8] && Number(match[9]) > 15) return fail(`has an offset beyond ±15:59 (${match[8]}${match[9]}:${match[10]}), which Postgres cannot store`);
  const millis = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  // Date.UTC reads years 0-99 as 1900-1999: those few go the long way.
  const date = new Date(year >= 100 ? Date.UTC(year, month - 1, day, hour, minute, second, millis) : 0);
  if (year < 100) {
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, millis);
  }
  if (offsetMinutes !== 0) date.setTime(date.getTime() - offsetMinutes * 60_000);
  if (date < EARLIEST || date > LATEST) return fail('is outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z');
  return { ok: true, date };
}
