// What Postgres `text` and `jsonb` cannot hold: the NUL character, and UTF-16 surrogates that are
// not in a pair (no Unicode character; the driver would silently turn them into U+FFFD, so two
// different ids could become one). One check for events, definitions and rendered task specs.

type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/** Why `text` cannot be stored as it is, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.indexOf('\u0000') !== -1) return 'contains the NUL character (U+0000), which Postgres cannot store';
  if (!(text as unknown as WellFormed).isWellFormed()) return 'contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is no Unicode character';
  return undefined;
}

/** `text` with what cannot be stored replaced by U+FFFD: for reasons and audit copies, never for identity. */
export function toStorableText(text: string): string {
  return (text.replaceAll('\u0000', '\ufffd') as unknown as WellFormed).toWellFormed();
}

/** A CloudEvents string attribute: storable, and no control characters (CloudEvents 1.0, type system). */
export function badAttributeText(text: string): string | undefined {
  const unstorable = unstorableText(text);
  if (unstorable) return unstorable;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) return 'contains a control character (U+0000-U+001F, U+007F-U+009F), which CloudEvents attributes must not';
  return undefined;
}
