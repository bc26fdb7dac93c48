// The two sinks a decision can be made for: `null` (dry run, a derived reference) and `rest`
// (issue-core). ISSUE_SINK_TYPE chooses the instance's; each spawn-log row keeps the one it was
// decided in.
export const SINK_TYPES = ['null', 'rest'] as const;
export type SinkType = (typeof SINK_TYPES)[number];
