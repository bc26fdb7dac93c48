// Request bodies: which content types are read, and body-parser's failures turned into HTTP
// exceptions with a message a caller can act on (the exception filter gives them the shape).
import { BadRequestException, HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** What POST bodies may be: one JSON document (a CloudEvent in structured mode, or a test request). */
export const JSON_BODY_TYPES = ['application/json', 'application/cloudevents+json'];

interface BodyParserError extends Error {
  status?: number;
  type?: string;
  limit?: number;
}

export function bodyParserErrors(error: BodyParserError, _req: Request, _res: Response, next: NextFunction): void {
  next(toHttpException(error));
}

function toHttpException(error: BodyParserError): unknown {
  if (error instanceof HttpException) return error; // already ours (e.g. the 415 below)
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeException([`body is larger than the limit of ${error.limit} bytes`]);
    case 'entity.parse.failed':
      return new BadRequestException([`body is not valid JSON: ${error.message}`]);
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException([`body has an ${error.message}: send utf-8`]);
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeException([`body has an ${error.message}: send identity, gzip, deflate or br`]);
    default:
      // The body could not be read as sent (e.g. a gzip stream that is not gzip, a size that lies).
      if (error.status && error.status >= 400 && error.status < 500) {
        return new HttpException([`body could not be read: ${error.message}`], error.status);
      }
      return error;
  }
}

/** Bytes follow the headers (an empty body counts as none). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** A body in another content type is refused with 415 before anything reads it. */
export function requireJsonBodies(req: Request, _res: Response, next: NextFunction): void {
  if (hasBody(req) && !req.is(JSON_BODY_TYPES)) {
    const given = req.headers['content-type'] ?? 'none';
    next(new UnsupportedMediaTypeException([`Content-Type ${given} is not accepted: send ${JSON_BODY_TYPES.join(' or ')}`]));
    return;
  }
  next();
}

/** Set by the JSON parser: true when the request carried no bytes of body at all. */
export function markEmptyBody(req: Request, _res: Response, body: Buffer): void {
  (req as Request & { emptyBody?: boolean }).emptyBody = body.length === 0;
}

export function hadEmptyBody(req: Request): boolean {
  return !hasBody(req) || (req as Request & { emptyBody?: boolean }).emptyBody === true;
}
