// @nestjs/config as the configuration module: the validated values reach Nest's container through
// ConfigModule.forRoot, typed by namespace and by path, one set per application container.
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService, ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { configModuleOptions, loadConfig } from '../../src/config/config';
import { ConfigurationError } from '../../src/config/environment';
import { ConfigValues, eventsConfig, issueCoreConfig, loggingConfig, natsConfig, sinkConfig, temporalConfig } from '../../src/config/namespaces';
import { EmissionModule } from '../../src/emission/emission.module';
import { SINK_SELECTOR } from '../../src/emission/emission.tokens';
import type { SinkSelector } from '../../src/emission/sink.interface';

const LIVE = {
  ISSUE_SINK_TYPE: 'rest',
  ISSUE_CORE_URL: 'http://issue-core.internal:8080/',
  ISSUE_CORE_TOKEN: 'live-token-1234',
  ISSUE_SINK_LIVE_RULES: 'flag-stale-sbom, other-rule',
  TEMPORAL_TASK_QUEUE: 'live-queue',
  DATABASE_URL: 'postgres://ac:db-password@db.internal:5432/activity_core',
  NATS_URL: '',
  EVENT_MAX_BYTES: '4096',
};

/** An application context holding only the config module and the emission module (which starts nothing). */
async function contextWith(values: ConfigValues): Promise<INestApplicationContext> {
  @Module({ imports: [ConfigModule.forRoot(configModuleOptions(values)), EmissionModule] })
  class ConfiguredModule {}
  return NestFactory.createApplicationContext(ConfiguredModule, { logger: false });
}

describe('the config module', () => {
  let live: INestApplicationContext;
  let dryRun: INestApplicationContext;

  beforeAll(async () => {
    // Two differently configured containers in one process, as the end-to-end suites run apps.
    live = await contextWith(loadConfig(LIVE));
    dryRun = await contextWith(loadConfig({ TEMPORAL_TASK_QUEUE: 'dry-run-queue' }));
  });
  afterAll(async () => {
    await live.close();
    await dryRun.close();
  });

  it('injects each registerAs namespace with the validated values', () => {
    expect(live.get<ConfigType<typeof issueCoreConfig>>(issueCoreConfig.KEY)).toEqual({
      url: 'http://issue-core.internal:8080',
      token: 'live-token-1234',
      timeoutMs: 5000,
      healthPath: '/health',
    });
    expect(live.get<ConfigType<typeof sinkConfig>>(sinkConfig.KEY)).toEqual({ type: 'rest', liveRules: ['flag-stale-sbom', 'other-rule'] });
    expect(live.get<ConfigType<typeof natsConfig>>(natsConfig.KEY).url).toBeNull();
    expect(live.get<ConfigType<typeof eventsConfig>>(eventsConfig.KEY)).toEqual({ retentionDays: 30, maxBytes: 4096 });
    expect(live.get<ConfigType<typeof loggingConfig>>(loggingConfig.KEY).secrets).toEqual(expect.arrayContaining(['live-token-1234', 'db-password']));
  });

  it('gives ConfigService the same values by path, and nothing from process.env', () => {
    const sut = live.get<ConfigService<ConfigValues, true>>(ConfigService);
    expect(sut.get('issueCore.url', { infer: true })).toBe('http://issue-core.internal:8080');
    expect(sut.get('issueCore.timeoutMs', { infer: true })).toBe(5000);
    expect(sut.get('temporal', { infer: true })).toMatchObject({ address: '127.0.0.1:7233', taskQueue: 'live-queue' });
    expect(sut.get('database.url', { infer: true })).toBe(LIVE.DATABASE_URL);
    // What was not validated is not configuration, even when the process has it.
    expect(live.get(ConfigService).get('PATH')).toBeUndefined();
  });

  it('keeps each container its own values', () => {
    expect(live.get<ConfigType<typeof temporalConfig>>(temporalConfig.KEY).taskQueue).toBe('live-queue');
    expect(dryRun.get<ConfigType<typeof temporalConfig>>(temporalConfig.KEY).taskQueue).toBe('dry-run-queue');
    expect(dryRun.get(ConfigService).get('sink.type')).toBe('null');
  });

  it('toggles dry-run: ISSUE_SINK_TYPE, read through the sink namespace, chooses the sink', () => {
    expect(live.get<SinkSelector>(SINK_SELECTOR).mode).toBe('rest');
    expect(live.get<SinkSelector>(SINK_SELECTOR).sinkFor('flag-stale-sbom').type).toBe('rest');
    expect(live.get<SinkSelector>(SINK_SELECTOR).sinkFor('noisy-rule').type).toBe('null');
    expect(dryRun.get<SinkSelector>(SINK_SELECTOR).mode).toBe('null');
    expect(dryRun.get<SinkSelector>(SINK_SELECTOR).sinkFor('flag-stale-sbom').type).toBe('null');
  });

  it('a namespace has no values outside a container that loads them', () => {
    expect(() => sinkConfig()).toThrow("the 'sink' config namespace is loaded with values (configModuleOptions), not on its own");
  });
});

describe('a bad environment', () => {
  const secret = 's3cr3t-value-never-echoed';
  const bad = {
    ISSUE_SINK_TYPE: 'rest',
    ISSUE_CORE_URL: `http://user:${secret}@`,
    ISSUE_CORE_TOKEN: secret,
    ISSUE_CORE_TIMEOUT_MS: secret,
    PORT: secret,
    DATABASE_URL: `mysql://root:${secret}@db`,
    NATS_MAX_DELIVER: '1',
    TEMPORAL_UI_URL: `http://admin:${secret}@temporal.example`,
  };

  it('is refused before any container exists, in one message naming every bad variable, without a value', () => {
    let refusal: unknown;
    try {
      loadConfig(bad);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigurationError);
    const { message, problems } = refusal as ConfigurationError;
    const named = ['ISSUE_CORE_URL', 'ISSUE_CORE_TIMEOUT_MS', 'PORT', 'DATABASE_URL', 'NATS_MAX_DELIVER', 'TEMPORAL_UI_URL'];
    expect(problems).toHaveLength(named.length);
    for (const variable of named) expect(message).toContain(variable);
    expect(message).not.toContain(secret);
    expect(message).not.toContain('mysql');
  });
});
