// An activity definition as loaded: validated, with every CEL expression compiled once.
import type { CompiledExpression } from './cel';
import type { CompiledTemplate } from './template';

export type Trigger = { kind: 'event'; type: string } | { kind: 'schedule'; cron: string; timezone: string };

export interface TaskTemplate {
  title: CompiledTemplate;
  description: CompiledTemplate;
  target_repo: CompiledTemplate;
  priority: CompiledTemplate;
  labels: CompiledTemplate[];
  due_in_days: number | null;
}

export interface ActivityDefinition {
  key: string;
  id: string;
  hash: string;
  file: string;
  description: string;
  enabled: boolean;
  trigger: Trigger;
  scope: { latestOf: string } | null;
  condition: CompiledExpression;
  task: TaskTemplate;
  dedupeKey: CompiledTemplate | null;
  limits: { maxSpawns: number; perMs: number; per: string } | null;
  /** The definition as written (parsed YAML), for the API. */
  source: Record<string, unknown>;
}

export interface DefinitionLoadError {
  file: string;
  key?: string;
  field: string;
  message: string;
  line?: number;
  column?: number;
}

export function formatLoadError(error: DefinitionLoadError): string {
  const at = error.line !== undefined ? ` at ${error.line}:${error.column}` : '';
  return `${error.file}: ${error.field}: ${error.message}${at}`;
}
