// Event rules: an event is evaluated against the enabled rules for its type only.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RecordedDecision } from '../spawn-log/spawn-log.repository';
import type { CloudEvent } from '../events/cloud-event';
import { DecisionRecorder } from './decision-recorder.service';
import { DefinitionsService } from './definitions.service';
import { CandidateOutcome, DecisionDraft, evaluateCandidates, matchedDecisions } from './evaluate';

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

  /** The decisions each event's matches would record at `now`; nothing is recorded (pure). */
  draftDecisions(events: CloudEvent[], now: Date): Array<{ event: CloudEvent; drafts: DecisionDraft[] }> {
    return events.map((event) => ({ event, drafts: matchedDecisions(this.evaluate(event, now)) }));
  }

  /** Records drafts in the caller's transaction; one insert for all. */
  recordDrafts(drafts: DecisionDraft[], manager: EntityManager): Promise<RecordedDecision[]> {
    return this.recorder.record(drafts, manager);
  }
}
