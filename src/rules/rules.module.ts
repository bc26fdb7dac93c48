import { Module } from '@nestjs/common';
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

@Module({
  imports: [EmissionModule, EventsModule, SpawnLogModule, SpawnModule],
  controllers: [DefinitionsController],
  providers: [DefinitionsService, DecisionRecorder, EventEvaluationService, ScheduleTickService, ScheduleReconciler, RuleActivities],
  exports: [DefinitionsService, DecisionRecorder, EventEvaluationService, ScheduleTickService],
})
export class RulesModule {}
