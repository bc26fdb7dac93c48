// The provider factory keyed by ISSUE_SINK_TYPE, with the canary allow-list of ISSUE_SINK_LIVE_RULES.
import type { ConfigType } from '@nestjs/config';
import type { sinkConfig } from '../config/namespaces';
import type { IssueCoreClient } from './issue-core.client';
import type { IssueSink, SinkSelector } from './sink.interface';
import { NullSink } from './sinks/null.sink';
import { IssueCoreRestSink } from './sinks/issue-core-rest.sink';

export function createSinkSelector(sink: ConfigType<typeof sinkConfig>, client: IssueCoreClient): SinkSelector {
  const dryRun = new NullSink();
  if (sink.type === 'null') {
    return { mode: 'null', sinkFor: () => dryRun, emitterFor: (type) => (type === 'null' ? dryRun : undefined) };
  }

  const live = new IssueCoreRestSink(client);
  const allowList = new Set(sink.liveRules);
  const isLive = (ruleKey: string) => allowList.size === 0 || allowList.has(ruleKey);
  return {
    mode: 'rest',
    sinkFor: (ruleKey: string): IssueSink => (isLive(ruleKey) ? live : dryRun),
    emitterFor: (type) => (type === 'rest' ? live : dryRun),
  };
}
