// A decision's dedupe key (pure): one decision per (rule, trigger, rendered key), encoded so that
// two different triggers can never share a key.
//   event rule: <id>[:<rendered key>]@<source>, with `%`, `:` and `@` escaped in the id and `%` and
//               `@` in the source (%25, %3A, %40): the id ends at its first `:` or `@`, the source
//               starts after the last `@`, so id `a:b` with key `c` (`a%3Ab:c@s`) and id `a` with
//               key `b:c` (`a:b:c@s`) differ, and so do two sources sending the same id.
//   schedule tick: schedule:<rule key>:<scheduled time>[:<rendered key>]; the tick id has a fixed
//               shape, so what follows it is the rendered key whatever it contains.

export interface EventIdentity {
  source: string;
  id: string;
}

// Most ids and sources have nothing to escape: one scan, then nothing.
const escapeId = (id: string) => (/[%:@]/.test(id) ? id.replace(/%/g, '%25').replace(/:/g, '%3A').replace(/@/g, '%40') : id);
const escapeSource = (source: string) => (/[%@]/.test(source) ? source.replace(/%/g, '%25').replace(/@/g, '%40') : source);

/** The key of an event rule's decision. */
export function eventDedupeKey(event: EventIdentity, renderedKey?: string): string {
  return `${escapeId(event.id)}${renderedKey ? `:${renderedKey}` : ''}@${escapeSource(event.source)}`;
}

/** The key of a schedule tick's decision. */
export function tickDedupeKey(tickId: string, renderedKey?: string): string {
  return renderedKey ? `${tickId}:${renderedKey}` : tickId;
}

/** What every key of this event's decisions looks like: `<id>@<source>`, or `<id>:` ... `@<source>`. */
export function eventKeyPattern(event: EventIdentity): { exact: string; prefix: string; suffix: string } {
  const suffix = `@${escapeSource(event.source)}`;
  return { exact: `${escapeId(event.id)}${suffix}`, prefix: `${escapeId(event.id)}:`, suffix };
}

/** Whether `dedupeKey` belongs to a decision of this event. */
export function isKeyOfEvent(dedupeKey: string, event: EventIdentity): boolean {
  const { exact, prefix, suffix } = eventKeyPattern(event);
  return dedupeKey === exact || (dedupeKey.startsWith(prefix) && dedupeKey.endsWith(suffix) && dedupeKey.length > prefix.length + suffix.length);
}
