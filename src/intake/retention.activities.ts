import { Inject, Injectable, Logger } from '@nestjs/common';
import { Activities, Activity } from 'nestjs-temporal';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EventsRepository } from '../events/events.repository';
import { ACTIVITY, PruneResult } from '../temporal/activity-contracts';

@Injectable()
@Activities()
export class RetentionActivities {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly events: EventsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Activity(ACTIVITY.pruneEvents)
  async pruneEvents(): Promise<PruneResult> {
    const cutoff = new Date(Date.now() - this.config.eventRetentionDays * 86_400_000);
    const deleted = await this.events.pruneReceivedBefore(cutoff);
    this.logger.log(`pruned ${deleted} event(s) received before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  }
}
