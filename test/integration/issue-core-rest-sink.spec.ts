import { IssueCoreClient } from '../../src/emission/issue-core.client';
import { SinkRejectedError, SinkRetryableError } from '../../src/emission/sink.errors';
import { IssueCoreRestSink } from '../../src/emission/sinks/issue-core-rest.sink';
import { testConfig } from '../factories/config';
import { aTaskSpec } from '../factories/task-spec';
import { FakeIssueCore } from '../support/fake-issue-core';

describe('IssueCoreRestSink against a loopback issue-core', () => {
  const issueCore = new FakeIssueCore();
  let sut: IssueCoreRestSink;

  const sinkWith = (env: Record<string, string> = {}) =>
    new IssueCoreRestSink(
      new IssueCoreClient(testConfig({ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: issueCore.url, ISSUE_CORE_TOKEN: 'tok-123', ...env }).issueCore),
    );

  beforeAll(async () => {
    await issueCore.start();
    sut = sinkWith();
  });
  afterAll(() => issueCore.stop());

  const emitOnce = () => sut.emit({ spec: aTaskSpec({ triggering_event_id: 'evt-9' }), idempotencyKey: 'spawn/flag-stale-sbom/evt-9' });

  async function failureOf(work: Promise<unknown>): Promise<SinkRetryableError | SinkRejectedError> {
    try {
      await work;
    } catch (error) {
      return error as SinkRetryableError | SinkRejectedError;
    }
    throw new Error('expected the emission to fail');
  }

  it('posts exactly the ten-field payload with the idempotency key and bearer token', async () => {
    const before = issueCore.creations.length;
    const ref = await sut.emit({
      spec: { ...aTaskSpec(), extra: 'not in the contract' } as never,
      idempotencyKey: 'spawn/flag-stale-sbom/acme',
    });
    expect(ref).toEqual({ taskRef: expect.stringMatching(/^ISS-/), taskUrl: expect.stringContaining('/issues/ISS-'), backend: 'fake' });
    const request = issueCore.creations[before];
    expect(request.headers['idempotency-key']).toBe('spawn/flag-stale-sbom/acme');
    expect(request.headers.authorization).toBe('Bearer tok-123');
    expect(request.headers['content-type']).toContain('application/json');
    expect(request.body).toEqual(aTaskSpec());
    expect(Object.keys(request.body as object)).toEqual([
      'title',
      'description',
      'target_repo',
      'priority',
      'labels',
      'due_in_days',
      'source_type',
      'source_id',
      'triggering_event_id',
      'activity_definition_id',
    ]);
  });

  it('sends no Authorization header when no token is set', async () => {
    const before = issueCore.creations.length;
    await sinkWith({ ISSUE_CORE_TOKEN: '' }).emit({ spec: aTaskSpec(), idempotencyKey: 'k-no-token' });
    expect(issueCore.creations[before].headers.authorization).toBeUndefined();
  });

  it.each([500, 502, 503, 504, 408])('classifies %d as retryable, naming the rule and the answer', async (status) => {
    issueCore.failNext(1, status, { detail: `busy ${status}` });
    const error = await failureOf(emitOnce());
    expect(error).toBeInstanceOf(SinkRetryableError);
    expect(error.status).toBe(status);
    expect(error.message).toContain(`issue-core answered ${status} for flag-stale-sbom/evt-9`);
    expect(error.message).toContain(`busy ${status}`);
  });

  it('classifies 429 as retryable and honours Retry-After', async () => {
    issueCore.failNext(1, 429, { detail: 'slow down' }, { 'retry-after': '7' });
    const error = await failureOf(emitOnce());
    expect(error).toBeInstanceOf(SinkRetryableError);
    expect(error.retryAfterMs).toBe(7000);
  });

  it.each([
    [401, 'ISSUE_CORE_CREDENTIALS_REFUSED'],
    [403, 'ISSUE_CORE_CREDENTIALS_REFUSED'],
    [404, 'ISSUE_CORE_NOT_FOUND'],
    [409, 'ISSUE_CORE_IN_FLIGHT'],
  ])('holds %d for a retry: the operator (or the request in flight) settles it', async (status, code) => {
    issueCore.failNext(1, status, { detail: 'no' });
    const error = await failureOf(emitOnce());
    expect(error).toBeInstanceOf(SinkRetryableError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`issue-core answered ${status} for flag-stale-sbom/evt-9: {"detail":"no"}`);
  });

  it.each([
    ['0', 1_000],
    ['Thu, 01 Jan 2026 00:00:00 GMT', 1_000],
    ['Fri, 01 Jan 2100 00:00:00 GMT', 300_000],
  ])('clamps Retry-After %s on a 503 to %d ms', async (header, expected) => {
    issueCore.failNext(1, 503, { detail: 'busy' }, { 'retry-after': header });
    expect((await failureOf(emitOnce())).retryAfterMs).toBe(expected);
  });

  it.each([400, 422])('classifies %d as non-retryable with issue-core’s reason', async (status) => {
    issueCore.failNext(1, status, { detail: 'missing target_repo' });
    const error = await failureOf(emitOnce());
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect(error.code).toBe('ISSUE_CORE_REJECTED');
    expect(error.message).toBe(`issue-core answered ${status} for flag-stale-sbom/evt-9: {"detail":"missing target_repo"}`);
  });

  it('rejects a 2xx without issue_id as non-retryable', async () => {
    issueCore.answerWithoutIssueIdNext();
    const error = await failureOf(emitOnce());
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect(error.code).toBe('ISSUE_CORE_BAD_RESPONSE');
    expect(error.message).toContain('without issue_id');
  });

  it('times out on a slow server, retryably', async () => {
    issueCore.delayNext(1500);
    const error = await failureOf(sinkWith({ ISSUE_CORE_TIMEOUT_MS: '200' }).emit({ spec: aTaskSpec(), idempotencyKey: 'slow' }));
    expect(error).toBeInstanceOf(SinkRetryableError);
    expect(error.code).toBe('ISSUE_CORE_TIMEOUT');
  });

  it('treats a dropped connection as retryable, and the retry with the same key holds one issue', async () => {
    issueCore.createThenDropNext();
    const key = 'spawn/flag-stale-sbom/dropped';
    const error = await failureOf(sut.emit({ spec: aTaskSpec(), idempotencyKey: key }));
    expect(error).toBeInstanceOf(SinkRetryableError);
    expect(error.code).toBe('ISSUE_CORE_UNREACHABLE');
    const ref = await sut.emit({ spec: aTaskSpec(), idempotencyKey: key });
    expect(ref.taskRef).toBe(issueCore.issues.get(key)?.issue_id);
    expect([...issueCore.issues.values()].filter((i) => i.idempotencyKey === key)).toHaveLength(1);
  });

  it('treats a refused connection as retryable', async () => {
    const error = await failureOf(sinkWith({ ISSUE_CORE_URL: 'http://127.0.0.1:1' }).emit({ spec: aTaskSpec(), idempotencyKey: 'refused' }));
    expect(error).toBeInstanceOf(SinkRetryableError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('never puts the token in an error message', async () => {
    issueCore.failNext(1, 500, { detail: 'x' });
    const error = await failureOf(emitOnce());
    expect(error.message).not.toContain('tok-123');
  });
});
