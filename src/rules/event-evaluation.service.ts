// Event rules: an event is evaluated against the enabled rules for its type only.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RecordedDecision } from '../spawn-log/spawn-log.repository';
import type { CloudEvent } from '../events/cloud-event';
import { DecisionRecorder } from './decision-recorder.service';
import { DefinitionsService } from './definitions.service';
import { CandidateOutcome, evaluateCandidates, matchedDecisions } from './evaluate';

@Injectable()
export class EventEvaluationService {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly recorder: DecisionRecorder,
  ) {}

  /** Every candidate rule for the event (disabled ones say so), evaluated at `now`. */
  evaluate(event: CloudEvent, now: Date): CandidateOutcome[] {
    return evaluateCandidates(this.definitions.candidatesFor(event.type), event, now);
  }

  /** Evaluates a batch and records its matches in the caller's transaction; one insert for all. */
  async recordDecisions(events: CloudEvent[], now: Date, manager: EntityManager): Promise<RecordedDecision[]> {
    const drafts = events.flatMap((event) => matchedDecisions(this.evaluate(event, now)));
    return this.recorder.record(drafts, manager);
  }
}
