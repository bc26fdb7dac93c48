// Temporal glue lives here: the client, the worker host, the activity decorators and registry.
// Activities are written the nestjs-temporal way (@Activities/@Activity); connection, worker
// lifecycle and the Client are owned here (docs/temporal.md says why).
import { Global, Module, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ActivityRegistry } from './activity-registry';
import { SystemSchedulesService } from './system-schedules.service';
import { TemporalClientService } from './temporal-client.service';
import { TemporalWorkerService } from './temporal-worker.service';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [ActivityRegistry, TemporalClientService, TemporalWorkerService, SystemSchedulesService],
  exports: [TemporalClientService, TemporalWorkerService],
})
export class TemporalModule implements OnModuleInit {
  constructor(private readonly client: TemporalClientService) {}

  // The service connects at start-up; the CLI, which shares TemporalClientService, only when a command needs it.
  onModuleInit(): void {
    this.client.connect();
  }
}
