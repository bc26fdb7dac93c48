// Bounds on what an event may carry, shared by intake validation and every filter that takes an
// event's identity, so whatever is accepted can also be stored, indexed and looked up. Lengths are
// UTF-8 bytes (a character is 1 to 4), chosen so that the widest accepted values still fit
// Postgres' b-tree entries (2704 bytes): the events key (source, id) and the latest_of index (type,
// subject). A decision's key is unique through a digest, so it is bounded only against abuse.
// The README lists them.

/** Longest CloudEvent `id` accepted anywhere (bytes, so also characters). */
export const MAX_ID_LENGTH = 256;
/** Longest `source`. */
export const MAX_SOURCE_LENGTH = 256;
/** Longest `type`. */
export const MAX_TYPE_LENGTH = 256;
/** Longest `subject`. */
export const MAX_SUBJECT_LENGTH = 1024;
/** Longest other context attribute (datacontenttype, dataschema, extensions). */
export const MAX_ATTRIBUTE_LENGTH = 2048;
/** Deepest nesting of objects and arrays inside `data` (the event itself is level 1). */
export const MAX_DATA_DEPTH = 64;
/** Longest rendered `dedupe_key` of a rule (bytes): far past what a header or workflow id holds. */
export const MAX_RENDERED_KEY_LENGTH = 64 * 1024;
