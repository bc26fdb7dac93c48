// `{{ expr }}` templates in task fields: literal text with CEL expressions, compiled once.
import { CelCompileError, CelContext, compileCel, CompiledExpression, positionOf } from './cel';

type Part = { literal: string } | { expression: CompiledExpression; offset: number };

export interface CompiledTemplate {
  source: string;
  /** true when the whole template is one expression: its value keeps its type. */
  single: boolean;
  render(context: CelContext): string;
  value(context: CelContext): unknown;
}

const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;

export function stringifyValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Compiles a template; a bad expression is refused with its position within the template. */
export function compileTemplate(source: string): CompiledTemplate {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ literal: source.slice(last, start) });
    const offset = start + 2;
    try {
      parts.push({ expression: compileCel(match[1].trim()), offset });
    } catch (error) {
      if (!(error instanceof CelCompileError)) throw error;
      const leading = match[1].length - match[1].trimStart().length;
      const at = positionOf(source, offset + leading);
      // Re-anchor the expression's position on the template's own text.
      const column = error.detail.line === 1 ? at.column + error.detail.column - 1 : error.detail.column;
      throw new CelCompileError({ message: error.detail.message, line: at.line + error.detail.line - 1, column });
    }
    last = start + match[0].length;
  }
  if (source.slice(last).includes('{{')) {
    throw new CelCompileError({ message: "unclosed '{{'", ...positionOf(source, source.indexOf('{{', last)) });
  }
  if (last < source.length) parts.push({ literal: source.slice(last) });
  const single = parts.length === 1 && 'expression' in parts[0];
  // Plain text (most priorities, labels, descriptions) costs nothing per evaluation.
  const constant = parts.every((part) => 'literal' in part) ? source : undefined;
  const render = (context: CelContext) => {
    if (constant !== undefined) return constant;
    let text = '';
    for (const part of parts) text += 'literal' in part ? part.literal : stringifyValue(part.expression.evaluate(context));
    return text;
  };
  return {
    source,
    single,
    render,
    value: (context) => (single ? (parts[0] as { expression: CompiledExpression }).expression.evaluate(context) : render(context)),
  };
}
