import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { RulesModule } from '../rules/rules.module';
import { SpawnLogModule } from '../spawn-log/spawn-log.module';
import { SpawnModule } from '../spawn/spawn.module';
import { EventsController } from './events.controller';
import { ExplainService } from './explain.service';
import { DeadLetterMetrics } from './dead-letter.metrics';
import { JetStreamLagMetrics } from './jetstream-lag.metrics';
import { IntakeService } from './intake.service';
import { JetStreamBatchService } from './jetstream-batch.service';
import { JetStreamConsumer } from './jetstream.consumer';
import { RetentionActivities } from './retention.activities';
import { ScheduleRulesExplainer } from './schedule-rules.explainer';

@Module({
  imports: [EventsModule, RulesModule, SpawnModule, SpawnLogModule],
  controllers: [EventsController],
  providers: [
    IntakeService,
    ExplainService,
    ScheduleRulesExplainer,
    JetStreamConsumer,
    JetStreamBatchService,
    RetentionActivities,
    DeadLetterMetrics,
    JetStreamLagMetrics,
  ],
  exports: [IntakeService, JetStreamConsumer],
})
export class IntakeModule {}
