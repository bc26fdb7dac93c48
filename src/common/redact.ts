// Secrets never reach a log line, an error message or a response: URL userinfo (user:pass@ in
// NATS_URL, ISSUE_CORE_URL, DATABASE_URL) is cut from any text, and the configured tokens and
// passwords are masked wherever they appear.
import type { AppConfig } from '../config/app-config';

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi;
const MASK = '[redacted]';
/** Shorter secrets are not masked inside other text (they would mask ordinary words). */
const MIN_SECRET_LENGTH = 4;

/** `scheme://user:pass@host/...` -> `scheme://[redacted]@host/...`, for one URL or any text. */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, `$1${MASK}@`);
}

function passwordOf(url: string | null | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    return [parsed.password, decodeURIComponent(parsed.password)].filter(Boolean);
  } catch {
    return [];
  }
}

/** Every secret the configuration holds: tokens and the passwords of its URLs. */
export function secretsOf(config: Pick<AppConfig, 'apiToken' | 'issueCore' | 'databaseUrl' | 'nats'>): string[] {
  return [config.apiToken, config.issueCore.token, ...passwordOf(config.databaseUrl), ...passwordOf(config.issueCore.url), ...passwordOf(config.nats.url)].filter(
    (secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH,
  );
}

/** Text with URL userinfo cut and each given secret masked (also as JSON writes it). */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let redacted = redactUrl(text);
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) redacted = redacted.split(form).join(MASK);
  }
  return redacted;
}
