// The one error shape every 4xx and 5xx of the HTTP API has.
import { STATUS_CODES } from 'node:http';

export function expectErrorShape(status: number, body: unknown, context = ''): void {
  const shape = body as { statusCode?: unknown; error?: unknown; message?: unknown };
  const where = context ? ` (${context})` : '';
  if (shape.statusCode !== status || shape.error !== STATUS_CODES[status]) {
    throw new Error(`not the error shape for ${status}${where}: ${JSON.stringify(body)}`);
  }
  const messages = shape.message;
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every((m) => typeof m === 'string' && m.length > 0)) {
    throw new Error(`message is not a non-empty array of strings${where}: ${JSON.stringify(body)}`);
  }
  if (new Set(messages).size !== messages.length) throw new Error(`a message is repeated${where}: ${JSON.stringify(body)}`);
  const text = JSON.stringify(body);
  if (/\n\s+at |node_modules|SELECT |INSERT |QueryFailedError/.test(text)) throw new Error(`internals in the body${where}: ${text}`);
}
