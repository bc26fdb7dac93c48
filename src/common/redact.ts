// Secrets never reach a log line, an error message or a response: URL userinfo (user:pass@ in
// NATS_URL, ISSUE_CORE_URL, DATABASE_URL) is cut from any text, and the configured tokens and
// passwords (the logging namespace's `secrets`) are masked wherever they appear.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi;
const MASK = '[redacted]';

/** `scheme://user:pass@host/...` -> `scheme://[redacted]@host/...`, for one URL or any text. */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, `$1${MASK}@`);
}

/** Text with URL userinfo cut and each given secret masked (also as JSON writes it). */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let redacted = redactUrl(text);
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) redacted = redacted.split(form).join(MASK);
  }
  return redacted;
}
