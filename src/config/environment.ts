// The environment contract of SPEC §3: one class, validated once at boot.
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf, validateSync, ValidationError } from 'class-validator';
import { SINK_TYPES, SinkType } from '../common/sink-type';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class EnvironmentVariables {
  @IsIn(SINK_TYPES, { message: 'ISSUE_SINK_TYPE must be one of: null, rest' })
  ISSUE_SINK_TYPE: SinkType = 'null';

  @ValidateIf((env: EnvironmentVariables) => env.ISSUE_SINK_TYPE === 'rest' || env.ISSUE_CORE_URL !== undefined)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'ISSUE_CORE_URL must be an http(s) URL (required when ISSUE_SINK_TYPE=rest)' },
  )
  @Transform(emptyToUndefined)
  ISSUE_CORE_URL?: string;

  @IsOptional()
  @IsString()
  @Transform(emptyToUndefined)
  ISSUE_CORE_TOKEN?: string;

  @Transform(toInt)
  @IsInt({ message: 'ISSUE_CORE_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(1, { message: 'ISSUE_CORE_TIMEOUT_MS must be at least 1' })
  @Max(600_000, { message: 'ISSUE_CORE_TIMEOUT_MS must be at most 600000' })
  ISSUE_CORE_TIMEOUT_MS = 5000;

  @Matches(/^\//, { message: 'ISSUE_CORE_HEALTH_PATH must start with /' })
  ISSUE_CORE_HEALTH_PATH = '/health';

  @IsString()
  @Matches(/^[A-Za-z0-9_.,\s-]*$/, { message: 'ISSUE_SINK_LIVE_RULES must be a comma-separated list of definition keys' })
  ISSUE_SINK_LIVE_RULES = '';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/activity_core';

  @Matches(/^[^\s:/]+:\d+$/, { message: 'TEMPORAL_ADDRESS must be host:port' })
  TEMPORAL_ADDRESS = '127.0.0.1:7233';

  @Matches(/^\S+$/, { message: 'TEMPORAL_NAMESPACE must not be empty' })
  TEMPORAL_NAMESPACE = 'default';

  @Matches(/^\S+$/, { message: 'TEMPORAL_TASK_QUEUE must not be empty' })
  TEMPORAL_TASK_QUEUE = 'activity-core';

  @ValidateIf((env: EnvironmentVariables) => env.NATS_URL !== '')
  @Matches(/^(nats|tls):\/\/[^\s]+$/, { message: 'NATS_URL must be a nats:// URL, or empty to disable NATS intake' })
  NATS_URL = 'nats://127.0.0.1:4222';

  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'NATS_STREAM must be a stream name (letters, digits, _ and -)' })
  NATS_STREAM = 'ACTIVITY_EVENTS';

  @Matches(/^[^\s]+$/, { message: 'NATS_SUBJECTS must be a comma-separated list of subjects' })
  NATS_SUBJECTS = 'events.>';

  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'NATS_DURABLE must be a consumer name (letters, digits, _ and -)' })
  NATS_DURABLE = 'activity-core';

  @Transform(toInt)
  @IsInt({ message: 'NATS_MAX_DELIVER must be a whole number of deliveries' })
  @Min(2, { message: 'NATS_MAX_DELIVER must be at least 2' })
  NATS_MAX_DELIVER = 1000;

  @Transform(toInt)
  @IsInt({ message: 'NATS_ACK_WAIT_MS must be a whole number of milliseconds' })
  @Min(1000, { message: 'NATS_ACK_WAIT_MS must be between 1000 and 3600000' })
  @Max(3_600_000, { message: 'NATS_ACK_WAIT_MS must be between 1000 and 3600000' })
  NATS_ACK_WAIT_MS = 30_000;

  @Matches(/\S/, { message: 'DEFINITIONS_DIR must not be empty' })
  DEFINITIONS_DIR = './definitions';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0, { message: 'PORT must be between 0 and 65535' })
  @Max(65535, { message: 'PORT must be between 0 and 65535' })
  PORT = 3000;

  @IsOptional()
  @IsString()
  @Transform(emptyToUndefined)
  API_TOKEN?: string;

  @Transform(toInt)
  @IsInt({ message: 'EVENT_RETENTION_DAYS must be a whole number of days' })
  @Min(1, { message: 'EVENT_RETENTION_DAYS must be at least 1' })
  EVENT_RETENTION_DAYS = 30;

  @Transform(toInt)
  @IsInt({ message: 'EVENT_MAX_BYTES must be a whole number of bytes' })
  @Min(1024, { message: 'EVENT_MAX_BYTES must be at least 1024' })
  @Max(67_108_864, { message: 'EVENT_MAX_BYTES must be at most 67108864 (64 MiB)' })
  EVENT_MAX_BYTES = 262_144;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of: ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Temporal Web UI base URL: the console links each decision's workflow there. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/@]+(\/\S*)?$/, { message: 'TEMPORAL_UI_URL must be an http(s) URL without credentials' })
  @Transform(emptyToUndefined)
  TEMPORAL_UI_URL?: string;
}

const OPTIONAL_VARIABLES = ['ISSUE_CORE_URL', 'ISSUE_CORE_TOKEN', 'API_TOKEN', 'TEMPORAL_UI_URL'];

export class ConfigurationError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  // Messages name the variable but never echo its value: tokens must not reach a log.
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).slice(0, 1));
}

/** Validates the raw environment; throws one ConfigurationError naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  // Only our own variables: the rest of the environment is none of our business.
  const known = new Set([...Object.keys(new EnvironmentVariables()), ...OPTIONAL_VARIABLES]);
  const picked = Object.fromEntries(Object.entries(raw).filter(([name]) => known.has(name)));
  const env = plainToInstance(EnvironmentVariables, picked, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigurationError(describe(errors));
  return env;
}
