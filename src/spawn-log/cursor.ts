// Opaque keyset cursors for the spawn-log API: base64url of (created_at, id).
export interface Cursor {
  createdAt: Date;
  id: string;
}

export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('shape');
    return { createdAt, id };
  } catch {
    throw new InvalidCursorError('cursor is not one this API returned');
  }
}
