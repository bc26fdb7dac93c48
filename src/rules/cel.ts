// CEL, compiled once: conditions and `{{ expr }}` templates share one environment whose only
// variables are `event` (the CloudEvent, data included) and `now` (the evaluation time).
import { Environment } from '@marcbachmann/cel-js';

export interface CelError {
  message: string;
  line: number;
  column: number;
}

export class CelCompileError extends Error {
  constructor(readonly detail: CelError) {
    super(`${detail.message} at ${detail.line}:${detail.column}`);
  }
}

export interface CompiledExpression {
  source: string;
  evaluate(context: CelContext): unknown;
}

export interface CelContext {
  event: Record<string, unknown>;
  now: Date;
}

const environment = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable('event', 'map')
  .registerVariable('now', 'google.protobuf.Timestamp');

interface CelNativeError extends Error {
  node?: { pos?: number; input?: string };
}

/** 1-based line and column of a character offset. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

function describe(error: CelNativeError, source: string): CelError {
  const message = error.message.split('\n')[0].replace(/^Unknown variable: (.+)$/, "undeclared reference to '$1'");
  const { line, column } = positionOf(source, error.node?.pos ?? 0);
  return { message, line, column };
}

/** Parses and type-checks; unknown variables and syntax errors are refused with their position. */
export function compileCel(source: string): CompiledExpression {
  let program: ReturnType<typeof environment.parse>;
  try {
    program = environment.parse(source);
  } catch (error) {
    throw new CelCompileError(describe(error as CelNativeError, source));
  }
  const checked = program.check();
  if (!checked.valid) throw new CelCompileError(describe(checked.error as CelNativeError, source));
  return { source, evaluate: (context): unknown => program(context) };
}

/** First line of an evaluation error: "No such key: time". */
export function describeEvaluationError(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0];
}
