// What a Postgres failure means for the work that hit it (pure):
//   connection - Postgres or the way to it is gone: retry everything later;
//   transient  - this statement lost a race (serialization, deadlock, lock or statement timeout):
//                retry it later, the rest can go on;
//   data       - Postgres refuses the value itself (SQLSTATE class 22, 23, 54000, ...): retrying
//                cannot fix it, so it is refused on its own.
// Descriptions name the SQLSTATE and its condition, never Postgres' own text (it may quote data).

export type DatabaseFailure = 'connection' | 'transient' | 'data';

const CONDITIONS: Record<string, string> = {
  '22001': 'string too long',
  '22003': 'number out of range',
  '22007': 'invalid date-time format',
  '22008': 'date-time out of range',
  '22021': 'character not in repertoire',
  '22P02': 'invalid text representation',
  '22P05': 'untranslatable character',
  '23502': 'not-null violation',
  '23505': 'unique violation',
  '23514': 'check violation',
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '54000': 'program limit exceeded',
  '54001': 'statement too complex',
  '55P03': 'lock not available',
  '57014': 'query canceled',
};

const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;

function codeOf(error: unknown): string | undefined {
  const direct = (error as { code?: unknown })?.code;
  const driver = (error as { driverError?: { code?: unknown } })?.driverError?.code;
  const code = typeof driver === 'string' ? driver : direct;
  return typeof code === 'string' ? code : undefined;
}

export function classifyDatabaseError(error: unknown): DatabaseFailure {
  const code = codeOf(error);
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    if (/^(08|53|57P0[1-4]|58)/.test(code)) return 'connection';
    if (/^(40|55P03|57014)/.test(code)) return 'transient';
    return 'data';
  }
  if (code && CONNECTION_CODES.test(code)) return 'connection';
  const message = (error as Error)?.message ?? '';
  if (
    /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect|Connection is not established|not connected/i.test(
      message,
    )
  )
    return 'connection';
  // Anything else (a TypeError on a strange value, a driver refusal) is about this data.
  return 'data';
}

/** "Postgres refused it: untranslatable character (SQLSTATE 22P05)", without Postgres' own text. */
export function describeDatabaseError(error: unknown): string {
  const code = codeOf(error);
  if (code && /^[0-9A-Z]{5}$/.test(code)) return `Postgres refused it: ${CONDITIONS[code] ?? 'error'} (SQLSTATE ${code})`;
  if (code) return `Postgres unreachable (${code})`;
  return classifyDatabaseError(error) === 'connection'
    ? 'Postgres unreachable (connection lost)'
    : `could not be stored (${(error as Error)?.name ?? 'error'})`;
}
