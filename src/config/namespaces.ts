// The configuration as modules inject it: one @nestjs/config namespace (registerAs) per concern,
// read from the validated environment (environment.ts) and injected typed:
//   @Inject(issueCoreConfig.KEY) issueCore: ConfigType<typeof issueCoreConfig>
// ConfigService carries the same values by path ('issueCore.url'). Each application container loads
// its own values (config.ts), so several differently configured apps can share one process.
import { ConfigFactory, ConfigFactoryKeyHost, registerAs } from '@nestjs/config';
import type { EnvironmentVariables } from './environment';

const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const withoutTrailingSlash = (url: string | undefined) => url?.replace(/\/+$/, '');

/** Shorter secrets are not masked inside other text (they would mask ordinary words). */
const MIN_SECRET_LENGTH = 4;

function passwordOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    return [parsed.password, decodeURIComponent(parsed.password)].filter(Boolean);
  } catch {
    return [];
  }
}

/** Every secret the environment holds: the tokens and the passwords of its URLs. */
function secretsOf(env: EnvironmentVariables): string[] {
  const secrets = [env.API_TOKEN, env.ISSUE_CORE_TOKEN, ...passwordOf(env.DATABASE_URL), ...passwordOf(env.ISSUE_CORE_URL), ...passwordOf(env.NATS_URL)];
  return secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH);
}

/** How each namespace reads the validated environment. */
const NAMESPACES = {
  /** ISSUE_SINK_TYPE decides the sink (null: dry-run); ISSUE_SINK_LIVE_RULES is the canary allow-list. */
  sink: (env: EnvironmentVariables) => ({ type: env.ISSUE_SINK_TYPE, liveRules: splitList(env.ISSUE_SINK_LIVE_RULES) }),
  issueCore: (env: EnvironmentVariables) => ({
    url: withoutTrailingSlash(env.ISSUE_CORE_URL),
    token: env.ISSUE_CORE_TOKEN,
    timeoutMs: env.ISSUE_CORE_TIMEOUT_MS,
    healthPath: env.ISSUE_CORE_HEALTH_PATH,
  }),
  database: (env: EnvironmentVariables) => ({ url: env.DATABASE_URL }),
  temporal: (env: EnvironmentVariables) => ({
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    /** Temporal Web UI base URL (no trailing slash), for the console's workflow links. */
    uiUrl: withoutTrailingSlash(env.TEMPORAL_UI_URL),
  }),
  nats: (env: EnvironmentVariables) => ({
    /** null: NATS intake is off. */
    url: env.NATS_URL === '' ? null : env.NATS_URL,
    stream: env.NATS_STREAM,
    subjects: splitList(env.NATS_SUBJECTS),
    durable: env.NATS_DURABLE,
    maxDeliver: env.NATS_MAX_DELIVER,
    ackWaitMs: env.NATS_ACK_WAIT_MS,
  }),
  definitions: (env: EnvironmentVariables) => ({ dir: env.DEFINITIONS_DIR }),
  http: (env: EnvironmentVariables) => ({ port: env.PORT, apiToken: env.API_TOKEN }),
  /** Stored events: how long they are kept, and how large one may be (HTTP body and NATS message). */
  events: (env: EnvironmentVariables) => ({ retentionDays: env.EVENT_RETENTION_DAYS, maxBytes: env.EVENT_MAX_BYTES }),
  /** `secrets` are masked wherever text leaves the process: log lines, health details. */
  logging: (env: EnvironmentVariables) => ({ level: env.LOG_LEVEL, secrets: secretsOf(env) }),
};

type Namespaces = typeof NAMESPACES;
export type ConfigNamespace = keyof Namespaces;

/** The validated configuration, by namespace: what ConfigModule loads for one application container. */
export type ConfigValues = { [K in ConfigNamespace]: ReturnType<Namespaces[K]> };

export function readConfig(env: EnvironmentVariables): ConfigValues {
  const read = <K extends ConfigNamespace>(name: K) => [name, NAMESPACES[name](env)] as const;
  return Object.fromEntries((Object.keys(NAMESPACES) as ConfigNamespace[]).map(read)) as ConfigValues;
}

type Namespace<K extends ConfigNamespace> = ConfigFactory<ConfigValues[K]> & ConfigFactoryKeyHost<ConfigValues[K]>;

/**
 * A namespace's injection token (KEY) and type. Its token is its name, so it finds the values of
 * whichever container it is injected in; it has no values of its own (see configNamespaces).
 */
function namespace<K extends ConfigNamespace>(name: K): Namespace<K> {
  return registerAs(name, (): ConfigValues[K] => {
    throw new Error(`the '${name}' config namespace is loaded with values (configModuleOptions), not on its own`);
  });
}

export const sinkConfig = namespace('sink');
export const issueCoreConfig = namespace('issueCore');
export const databaseConfig = namespace('database');
export const temporalConfig = namespace('temporal');
export const natsConfig = namespace('nats');
export const definitionsConfig = namespace('definitions');
export const httpConfig = namespace('http');
export const eventsConfig = namespace('events');
export const loggingConfig = namespace('logging');

/** Every namespace, carrying these values: the `load` of ConfigModule.forRoot. */
export function configNamespaces(values: ConfigValues): Array<Namespace<ConfigNamespace>> {
  return (Object.keys(values) as ConfigNamespace[]).map((name) => registerAs(name, () => values[name]));
}
