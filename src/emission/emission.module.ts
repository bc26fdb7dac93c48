import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
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
      inject: [APP_CONFIG, IssueCoreClient],
      useFactory: (config: AppConfig, client: IssueCoreClient) => createSinkSelector(config, client),
    },
  ],
  exports: [SINK_SELECTOR, IssueCoreClient, IssueCoreGate],
})
export class EmissionModule {}
