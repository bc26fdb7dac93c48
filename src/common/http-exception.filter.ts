// Every error answer of the HTTP API, whatever raised it (a handler, a guard, a pipe, body
// parsing, routing), in one shape: `{ statusCode, error, message: string[] }`. `error` is the
// reason phrase; a 500 says nothing of its cause (it is logged instead).
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { allowedMethods } from './allowed-methods';
import { errorBody } from './error-body';

interface ClientError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

function messagesOf(response: unknown, fallback: string): string[] {
  if (typeof response === 'string') return [response];
  if (Array.isArray(response)) return response.map(String);
  const message = (response as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.map(String);
  if (typeof message === 'string') return [message];
  return [fallback];
}

/** Terminus' readiness answer keeps its own documented format (each check's state). */
function isHealthReport(response: unknown): boolean {
  return typeof response === 'object' && response !== null && 'details' in response && (response as { status?: unknown }).status === 'error';
}

// Connection-level failures (refused, reset, server shutting down, pool timeout), not SQL errors.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08000', '08001', '08003', '08006']);

function isStoreUnavailable(exception: unknown): boolean {
  const error = exception as { code?: unknown; message?: unknown; driverError?: { code?: unknown } } | null;
  if (!error) return false;
  const code = error.code ?? error.driverError?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return typeof error.message === 'string' && /Connection terminated|timeout exceeded when trying to connect/.test(error.message);
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  /** `app` is the underlying Express application, read for its routes. */
  constructor(private readonly app: unknown) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;

    if (exception instanceof HttpException && isHealthReport(exception.getResponse())) {
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    // Nest's answer for an unmatched route; a known path with another method is a 405.
    if (exception instanceof NotFoundException && /^Cannot [A-Z-]+ /.test(exception.message)) {
      const allow = allowedMethods(this.app, request.path);
      if (allow.length > 0) {
        response.setHeader('Allow', allow.join(', '));
        response.status(405).json(errorBody(405, [`${request.method} is not allowed on ${request.path}: use ${allow.join(', ')}`]));
        return;
      }
      response.status(404).json(errorBody(404, [`no route ${request.method} ${request.path}`]));
      return;
    }
    if (exception instanceof HttpException) {
      response.status(exception.getStatus()).json(errorBody(exception.getStatus(), messagesOf(exception.getResponse(), exception.message)));
      return;
    }
    if (isStoreUnavailable(exception)) {
      this.logger.warn(`${request.method} ${request.path}: the store is unavailable: ${(exception as Error).message}`);
      response.status(503).json(errorBody(503, ['the store (Postgres) is unavailable: retry later']));
      return;
    }
    const client = exception as ClientError | null;
    const status = client?.status ?? client?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500 && client?.expose !== false) {
      response.status(status).json(errorBody(status, [client?.message ?? 'the request was refused']));
      return;
    }
    this.logger.error(`${request.method} ${request.path} failed: ${(exception as Error)?.stack ?? String(exception)}`);
    response.status(500).json(errorBody(500, ['the request failed unexpectedly; the failure is logged']));
  }
}
