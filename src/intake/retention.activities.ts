import { Inject, Injectable, Logger } from '@nestjs/common';
import { Activities, Activity } from '../temporal/activity.decorators';
import type { ConfigType } from '@nestjs/config';
import { eventsConfig } from '../config/namespaces';
import { EventPartitionsRepository } from '../events/event-partitions.repository';
import { EventsRepository } from '../events/events.repository';
import { DefinitionsService } from '../rules/definitions.service';
import { ACTIVITY, PruneResult } from '../temporal/activity-contracts';

@Injectable()
@Activities()
export class RetentionActivities {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly events: EventsRepository,
    private readonly partitions: EventPartitionsRepository,
    private readonly definitions: DefinitionsService,
    @Inject(eventsConfig.KEY) private readonly eventSettings: ConfigType<typeof eventsConfig>,
  ) {}

  /** Daily: creates the partitions ahead, drops the days past EVENT_RETENTION_DAYS whole. */
  @Activity(ACTIVITY.pruneEvents)
  async pruneEvents(): Promise<PruneResult> {
    const now = new Date();
    const cutoff = new Date(now.getTime() - this.eventSettings.retentionDays * 86_400_000);
    const created = await this.partitions.ensureAhead(now);
    const pruned = await this.partitions.dropBefore(cutoff);
    const scopedTypes = [...new Set(this.definitions.all().flatMap((d) => (d.scope ? [d.scope.latestOf] : [])))];
    const forgotten = await this.events.pruneLatestBefore(cutoff, scopedTypes);
    this.logger.log(
      `events before ${cutoff.toISOString()}: dropped ${pruned.dropped.length} partition(s), deleted ${pruned.deletedRows} row(s) ` +
        `of the default partition and ${pruned.deletedKeys} key(s), forgot ${forgotten} unscoped latest event(s); ` +
        `created ${created.length} partition(s) ahead`,
    );
    return { cutoff: cutoff.toISOString(), created, ...pruned, forgottenLatest: forgotten };
  }
}
