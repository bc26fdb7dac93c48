import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { sinkConfig } from '../config/namespaces';
import { SINK_SELECTOR } from './emission.tokens';
import { IssueCoreClient } from './issue-core.client';
import { IssueCoreGate } from './issue-core.gate';
import { createSinkSelector } from './sink.factory';

@Module({
  providers: [
    IssueCoreClient,
    IssueCoreGate,
    {
      provide: SINK_SELECTOR,
      inject: [sinkConfig.KEY, IssueCoreClient],
      useFactory: (sink: ConfigType<typeof sinkConfig>, client: IssueCoreClient) => createSinkSelector(sink, client),
    },
  ],
  exports: [SINK_SELECTOR, IssueCoreClient, IssueCoreGate],
})
export class EmissionModule {}
