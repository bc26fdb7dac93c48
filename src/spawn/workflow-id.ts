/** The spawn workflow id of a decision: one workflow per (definition, dedupe key), ever. */
export function deriveWorkflowId(definitionKey: string, dedupeKey: string): string {
  return `spawn/${definitionKey}/${dedupeKey}`;
}
