import { Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { EmissionModule } from '../emission/emission.module';
import { EventsModule } from '../events/events.module';
import { SpawnLogModule } from '../spawn-log/spawn-log.module';
import { SpawnModule } from '../spawn/spawn.module';
import { DecisionRecorder } from './decision-recorder.service';
import { DefinitionsController } from './definitions.controller';
import { DefinitionsService } from './definitions.service';
import { EventEvaluationService } from './event-evaluation.service';
import { RuleActivities } from './rule.activities';
import { ScheduleReconciler } from './schedule-reconciler.service';
import { ScheduleTickService } from './schedule-tick.service';
import { DefinitionsMetrics } from './definitions.metrics';
import { ScheduleStatusService } from './schedule-status.service';
import { ScheduleMetrics } from './schedule.metrics';

@Module({
  imports: [EmissionModule, EventsModule, SpawnLogModule, SpawnModule],
  controllers: [DefinitionsController],
  providers: [
    DefinitionsService,
    DecisionRecorder,
    EventEvaluationService,
    ScheduleTickService,
    ScheduleReconciler,
    RuleActivities,
    DefinitionsMetrics,
    ScheduleStatusService,
    ScheduleMetrics,
  ],
  exports: [DefinitionsService, DecisionRecorder, EventEvaluationService, ScheduleTickService, ScheduleStatusService],
})
export class RulesModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly schedules: ScheduleReconciler,
  ) {}

  // The service's start-up; the CLI, which shares these providers, does only what a command needs.
  onModuleInit(): void {
    this.definitions.loadAtStartup();
  }

  onApplicationBootstrap(): void {
    this.schedules.reconcileOnceConnected();
  }
}
