// The one error shape of the HTTP API, `{ statusCode, error, message: string[] }`, and how the
// OpenAPI document declares it on every route.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export class ErrorBody {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  statusCode: number;

  @ApiProperty({ description: 'the HTTP reason phrase of statusCode', example: 'Bad Request' })
  error: string;

  @ApiProperty({ type: [String], description: 'one message per problem', example: ['limit must be a whole number from 1 to 200, in decimal digits'] })
  message: string[];
}

export function errorBody(status: number, messages: string[]): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: [...new Set(messages)] };
}

const MEANING: Record<number, string> = {
  400: 'the request names a problem: each message says which input and what is accepted',
  401: 'API_TOKEN is set and the bearer token is missing or wrong',
  403: 'API_TOKEN is not set and the caller is not on loopback',
  404: 'nothing with that id or key',
  409: 'the request is ambiguous (e.g. an event id used by several sources)',
  413: 'the body is larger than EVENT_MAX_BYTES',
  415: 'the body is not in an accepted content type, charset or encoding',
  422: 'the request is well-formed but cannot be processed',
  500: 'an unexpected failure, logged; the body holds no internals',
  503: 'a dependency (Postgres) is unavailable: retry later',
};

/** Declares the shared error shape for each status; 401 and 403 come with every guarded route. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...new Set([...statuses, 500])].map((status) => ApiResponse({ status, description: MEANING[status] ?? STATUS_CODES[status], type: ErrorBody })),
  );
}

/** The guarded routes' answers without a valid token. */
export const ApiGuardErrors = () => ApiErrors(401, 403);
