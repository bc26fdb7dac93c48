import { IssueCoreClient } from '../../src/emission/issue-core.client';
import { deriveNullReference } from '../../src/emission/reference';
import { createSinkSelector } from '../../src/emission/sink.factory';
import { IssueCoreRestSink } from '../../src/emission/sinks/issue-core-rest.sink';
import { NullSink } from '../../src/emission/sinks/null.sink';
import { testConfig } from '../factories/config';
import { aTaskSpec } from '../factories/task-spec';

describe('sink selection', () => {
  const selectorFor = (env: Record<string, string>) => {
    const config = testConfig(env);
    return createSinkSelector(config.sink, new IssueCoreClient(config.issueCore));
  };

  it('is the null sink by default, for every rule', () => {
    const sut = selectorFor({});
    expect(sut.mode).toBe('null');
    expect(sut.sinkFor('any-rule')).toBeInstanceOf(NullSink);
    expect(sut.sinkFor('any-rule').type).toBe('null');
  });

  it('is the IssueCoreRestSink for every rule when ISSUE_SINK_TYPE=rest with no allow-list', () => {
    const sut = selectorFor({ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: 'http://127.0.0.1:9' });
    expect(sut.mode).toBe('rest');
    expect(sut.sinkFor('a')).toBeInstanceOf(IssueCoreRestSink);
    expect(sut.sinkFor('a').type).toBe('rest');
    expect(sut.sinkFor('b').type).toBe('rest');
  });

  it('sends the rules outside ISSUE_SINK_LIVE_RULES to dry-run', () => {
    const sut = selectorFor({
      ISSUE_SINK_TYPE: 'rest',
      ISSUE_CORE_URL: 'http://127.0.0.1:9',
      ISSUE_SINK_LIVE_RULES: 'flag-stale-sbom',
    });
    expect(sut.sinkFor('flag-stale-sbom').type).toBe('rest');
    expect(sut.sinkFor('noisy-rule').type).toBe('null');
  });

  it('emits each decision in the mode it was recorded in: a dry-run instance has no live emitter', () => {
    const dryRun = selectorFor({});
    expect(dryRun.emitterFor('null')?.type).toBe('null');
    expect(dryRun.emitterFor('rest')).toBeUndefined();
    const live = selectorFor({ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: 'http://127.0.0.1:9', ISSUE_SINK_LIVE_RULES: 'flag-stale-sbom' });
    expect(live.emitterFor('null')?.type).toBe('null');
    // Outside this instance's canary list, and still live: the decision was made live elsewhere.
    expect(live.emitterFor('rest')?.type).toBe('rest');
  });

  it('gives a dry-run decision the same null- reference every time, distinct per decision', async () => {
    const sink = selectorFor({}).sinkFor('r');
    const first = await sink.emit({ spec: aTaskSpec(), idempotencyKey: 'spawn/r/a' });
    const again = await sink.emit({ spec: aTaskSpec(), idempotencyKey: 'spawn/r/a' });
    const other = await sink.emit({ spec: aTaskSpec(), idempotencyKey: 'spawn/r/b' });
    expect(first.taskRef).toMatch(/^null-[0-9a-f]{20}$/);
    expect(again.taskRef).toBe(first.taskRef);
    expect(other.taskRef).not.toBe(first.taskRef);
    expect(first.taskRef).toBe(deriveNullReference('spawn/r/a'));
  });
});
