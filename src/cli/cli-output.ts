// What commands print, and how they end: exit codes are part of the CLI contract. Nothing printed
// carries URL userinfo.
import { redactUrl } from '../common/redact';

export const EXIT = { ok: 0, noMatch: 1, failed: 1, invalid: 2 } as const;

export function print(line = ''): void {
  process.stdout.write(`${redactUrl(line)}\n`);
}

export function printError(line: string): void {
  process.stderr.write(`${redactUrl(line)}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}
