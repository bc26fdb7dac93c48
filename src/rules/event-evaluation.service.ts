// Event rules: an event is evaluated against the enabled rules for its type only.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RecordedDecision } from '../spawn-log/spawn-log.repository';
import type { CloudEvent } from './cloud-event';
import { DecisionRecorder } from './decision-recorder.service';
import type { ActivityDefinition } from './definition.types';
import { DefinitionsService } from './definitions.service';
import { evaluateRule, RuleOutcome } from './evaluate';

export interface CandidateOutcome {
  definition: ActivityDefinition;
  outcome: RuleOutcome;
}

@Injectable()
export class EventEvaluationService {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly recorder: DecisionRecorder,
  ) {}

  /** Every candidate rule for the event (disabled ones say so), evaluated at `now`. */
  evaluate(event: CloudEvent, now: Date): CandidateOutcome[] {
    return this.definitions
      .candidatesFor(event.type)
      .map((definition) => ({ definition, outcome: evaluateRule(definition, { event, now, triggeringEventId: event.id }) }));
  }

  /** Evaluates a batch and records its matches in the caller's transaction; one insert for all. */
  async recordDecisions(events: CloudEvent[], now: Date, manager: EntityManager): Promise<RecordedDecision[]> {
    const drafts = events.flatMap((event) =>
      this.evaluate(event, now).flatMap(({ outcome }) => (outcome.matched ? [outcome.decision] : [])),
    );
    return this.recorder.record(drafts, manager);
  }
}
