// Bounds on what an event may carry, shared by intake validation and every filter that takes an
// event's identity, so whatever is accepted can also be looked up. The README lists them.

/** Longest CloudEvent `id` (and `source`) accepted anywhere. */
export const MAX_ID_LENGTH = 1024;
