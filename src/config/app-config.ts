// The typed configuration every other module reads; built once from the validated environment.
import type { SinkType } from '../common/sink-type';
import { EnvironmentVariables, validateEnvironment } from './environment';

export interface IssueCoreConfig {
  url?: string;
  token?: string;
  timeoutMs: number;
  healthPath: string;
}

export interface AppConfig {
  sink: { type: SinkType; liveRules: string[] };
  issueCore: IssueCoreConfig;
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  nats: { url: string | null; stream: string; subjects: string[]; durable: string; maxDeliver: number };
  definitionsDir: string;
  port: number;
  apiToken?: string;
  eventRetentionDays: number;
  eventMaxBytes: number;
  logLevel: EnvironmentVariables['LOG_LEVEL'];
  /** Temporal Web UI base URL (no trailing slash), for the console's workflow links. */
  temporalUiUrl?: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

export function toAppConfig(env: EnvironmentVariables): AppConfig {
  return {
    sink: { type: env.ISSUE_SINK_TYPE, liveRules: splitList(env.ISSUE_SINK_LIVE_RULES) },
    issueCore: {
      url: env.ISSUE_CORE_URL?.replace(/\/+$/, ''),
      token: env.ISSUE_CORE_TOKEN,
      timeoutMs: env.ISSUE_CORE_TIMEOUT_MS,
      healthPath: env.ISSUE_CORE_HEALTH_PATH,
    },
    databaseUrl: env.DATABASE_URL,
    temporal: { address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE },
    nats: {
      url: env.NATS_URL === '' ? null : env.NATS_URL,
      stream: env.NATS_STREAM,
      subjects: splitList(env.NATS_SUBJECTS),
      durable: env.NATS_DURABLE,
      maxDeliver: env.NATS_MAX_DELIVER,
    },
    definitionsDir: env.DEFINITIONS_DIR,
    port: env.PORT,
    apiToken: env.API_TOKEN,
    eventRetentionDays: env.EVENT_RETENTION_DAYS,
    eventMaxBytes: env.EVENT_MAX_BYTES,
    logLevel: env.LOG_LEVEL,
    temporalUiUrl: env.TEMPORAL_UI_URL?.replace(/\/+$/, ''),
  };
}

/** The one place that reads process.env. */
export function loadConfig(raw: Record<string, unknown> = process.env): AppConfig {
  return toAppConfig(validateEnvironment(raw));
}
