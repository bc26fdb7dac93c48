// A schedule rule's tick: evaluate over its scope (one batched query), record the matches in one
// transaction, then request their spawns.
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventsRepository } from '../events/events.repository';
import { SpawnService } from '../spawn/spawn.service';
import type { ScheduleTickResult } from '../temporal/activity-contracts';
import type { CloudEvent } from '../events/cloud-event';
import { DecisionRecorder } from './decision-recorder.service';
import type { ActivityDefinition } from './definition.types';
import { DefinitionsService } from './definitions.service';
import { evaluateRule, RuleOutcome, scheduleTriggerId } from './evaluate';
import { ScheduleStatusService } from './schedule-status.service';

export class RuleNotLoadedError extends Error {
  override readonly name = 'RuleNotLoadedError';
}

@Injectable()
export class ScheduleTickService {
  private readonly logger = new Logger('ScheduleTick');

  constructor(
    private readonly definitions: DefinitionsService,
    private readonly events: EventsRepository,
    private readonly recorder: DecisionRecorder,
    private readonly spawns: SpawnService,
    private readonly dataSource: DataSource,
    private readonly schedules: ScheduleStatusService,
  ) {}

  /** The outcomes of one tick, without writing anything. */
  async evaluateTick(definition: ActivityDefinition, now: Date): Promise<RuleOutcome[]> {
    const triggeringEventId = scheduleTriggerId(definition.key, now);
    const subjects: Array<CloudEvent | Record<string, never>> = definition.scope
      ? (await this.events.latestOfType(definition.scope.latestOf, now)).map((stored) => stored.envelope)
      : [{}];
    return subjects.map((event) => evaluateRule(definition, { event, now, triggeringEventId }));
  }

  async runTick(key: string, scheduledTime: Date): Promise<ScheduleTickResult> {
    const triggeringEventId = scheduleTriggerId(key, scheduledTime);
    const definition = this.definitions.get(key);
    if (!definition || !definition.enabled || definition.trigger.kind !== 'schedule') {
      // A rolling deploy: this instance does not (yet, or any more) know the rule. Retried, maybe
      // on an instance that does, for the tick's retry window; never silently ignored.
      this.logger.warn(`tick ${triggeringEventId} not evaluated here: no enabled schedule definition ${key} is loaded; it will be retried`);
      throw new RuleNotLoadedError(`no enabled schedule definition ${key} is loaded on this instance`);
    }
    const outcomes = await this.evaluateTick(definition, scheduledTime);
    const drafts = outcomes.flatMap((outcome) => (outcome.matched ? [outcome.decision] : []));
    for (const outcome of outcomes) {
      if (!outcome.matched && outcome.error) this.logger.warn(`${key} at ${triggeringEventId}: ${outcome.error}`);
    }
    const recorded = await this.dataSource.transaction((manager) => this.recorder.record(drafts, manager));
    const requested = await this.spawns.requestSpawns(recorded.map((r) => r.row));
    this.schedules.recordTick(key, scheduledTime);
    return {
      triggeringEventId,
      evaluated: outcomes.length,
      matched: drafts.length,
      recorded: recorded.filter((r) => r.created).length,
      requested,
    };
  }
}
