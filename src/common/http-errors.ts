// Body-parser failures (malformed JSON, oversized bodies) answered as JSON like every other error.
import type { NextFunction, Request, Response } from 'express';

interface BodyParserError extends Error {
  status?: number;
  type?: string;
  limit?: number;
}

export function bodyParserErrors(error: BodyParserError, _req: Request, res: Response, next: NextFunction): void {
  if (error.type === 'entity.too.large') {
    res.status(413).json({
      statusCode: 413,
      error: 'Payload Too Large',
      message: [`body is larger than the limit of ${error.limit} bytes`],
    });
    return;
  }
  if (error.type === 'entity.parse.failed') {
    res.status(400).json({ statusCode: 400, error: 'Bad Request', message: [`body is not valid JSON: ${error.message}`] });
    return;
  }
  if (error.status && error.status >= 400 && error.status < 500) {
    res.status(error.status).json({ statusCode: error.status, error: error.name, message: [error.message] });
    return;
  }
  next(error);
}
