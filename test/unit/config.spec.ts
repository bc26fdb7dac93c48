import { loadConfig } from '../../src/config/config';
import { ConfigurationError, validateEnvironment } from '../../src/config/environment';
import { isLoopback, tokensMatch } from '../../src/common/api-token.guard';

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnvironment(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('accepts an empty environment with the SPEC defaults', () => {
    const sut = loadConfig({});
    expect(sut.sink).toEqual({ type: 'null', liveRules: [] });
    expect(sut.issueCore).toEqual({ url: undefined, token: undefined, timeoutMs: 5000, healthPath: '/health' });
    expect(sut.database).toEqual({ url: 'postgres://postgres@127.0.0.1:5432/activity_core' });
    expect(sut.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'activity-core', uiUrl: undefined });
    expect(sut.nats).toEqual({
      url: 'nats://127.0.0.1:4222',
      stream: 'ACTIVITY_EVENTS',
      subjects: ['events.>'],
      durable: 'activity-core',
      maxDeliver: 1000,
      ackWaitMs: 30_000,
    });
    expect(sut.definitions).toEqual({ dir: './definitions' });
    expect(sut.http).toEqual({ port: 3000, apiToken: undefined });
    expect(sut.events).toEqual({ retentionDays: 30, maxBytes: 262_144 });
    expect(sut.logging).toEqual({ level: 'info', secrets: [] });
  });

  it('accepts a minimal live configuration and parses lists', () => {
    const sut = loadConfig({
      ISSUE_SINK_TYPE: 'rest',
      ISSUE_CORE_URL: 'http://issue-core.internal:8080/',
      ISSUE_SINK_LIVE_RULES: 'flag-stale-sbom, other-rule',
      NATS_URL: '',
    });
    expect(sut.sink).toEqual({ type: 'rest', liveRules: ['flag-stale-sbom', 'other-rule'] });
    expect(sut.issueCore.url).toBe('http://issue-core.internal:8080');
    expect(sut.nats.url).toBeNull();
  });

  it.each([
    [{ ISSUE_SINK_TYPE: 'foo' }, 'ISSUE_SINK_TYPE'],
    [{ ISSUE_SINK_TYPE: 'rest' }, 'ISSUE_CORE_URL'],
    [{ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: 'not a url' }, 'ISSUE_CORE_URL'],
    [{ ISSUE_CORE_TIMEOUT_MS: '-5' }, 'ISSUE_CORE_TIMEOUT_MS'],
    [{ ISSUE_CORE_TIMEOUT_MS: 'soon' }, 'ISSUE_CORE_TIMEOUT_MS'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ TEMPORAL_ADDRESS: 'temporal' }, 'TEMPORAL_ADDRESS'],
    [{ NATS_URL: 'http://nats' }, 'NATS_URL'],
    [{ ISSUE_CORE_HEALTH_PATH: 'health' }, 'ISSUE_CORE_HEALTH_PATH'],
    [{ NATS_ACK_WAIT_MS: '999' }, 'NATS_ACK_WAIT_MS'],
    [{ NATS_ACK_WAIT_MS: '3600001' }, 'NATS_ACK_WAIT_MS'],
    [{ NATS_ACK_WAIT_MS: '30s' }, 'NATS_ACK_WAIT_MS'],
  ])('refuses %j naming %s', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(variable);
  });

  it('names every bad variable in one message', () => {
    const problems = problemsOf({ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_TIMEOUT_MS: '-1', PORT: 'x' });
    expect(problems.join('\n')).toMatch(/ISSUE_CORE_URL[\s\S]*ISSUE_CORE_TIMEOUT_MS[\s\S]*PORT/);
    expect(problems).toHaveLength(3);
  });

  it('never echoes a token in its message', () => {
    const secret = 's3cr3t-token-value';
    try {
      loadConfig({ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: 'nope', ISSUE_CORE_TOKEN: secret, API_TOKEN: secret, PORT: secret });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).toContain('PORT');
    }
  });
});

describe('API token helpers', () => {
  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['::ffff:192.168.1.2', false],
    [undefined, false],
  ])('isLoopback(%s) is %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });

  it('matches only the exact token', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abd', 'abc')).toBe(false);
    expect(tokensMatch('abcd', 'abc')).toBe(false);
  });
});
