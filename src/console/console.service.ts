// What the console shows: each rule with its mode, trigger, next tick, hash and counts; the files
// refused at load; what is held and what failed. Reads only.
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { sinkConfig, temporalConfig } from '../config/namespaces';
import type { ActivityDefinition } from '../rules/definition.types';
import { formatLoadError } from '../rules/definition.types';
import { DefinitionsService } from '../rules/definitions.service';
import { ScheduleStatusService } from '../rules/schedule-status.service';
import { ChartRange, SpawnLogStatsRepository } from '../spawn-log/spawn-log-stats.repository';
import { SPAWN_STATUSES, TaskSpawnLog } from '../spawn-log/task-spawn-log.entity';
import { chartBars, ChartBar } from './chart';

export type RuleMode = 'dry-run' | 'live' | 'canary';

const WAITING_LIMIT = 50;

/** The mode a rule's new decisions are made in now. */
export function ruleMode(config: ConfigType<typeof sinkConfig>, key: string): RuleMode {
  if (config.type === 'null') return 'dry-run';
  if (config.liveRules.length === 0) return 'live';
  return config.liveRules.includes(key) ? 'canary' : 'dry-run';
}

const waitingView = (row: TaskSpawnLog) => ({
  id: row.id,
  source_id: row.source_id,
  status: row.status,
  sink_type: row.sink_type,
  triggering_event_id: row.triggering_event_id,
  error: row.error,
  attempts: row.attempts,
  created_at: row.created_at,
});

@Injectable()
export class ConsoleService {
  constructor(
    @Inject(sinkConfig.KEY) private readonly sink: ConfigType<typeof sinkConfig>,
    @Inject(temporalConfig.KEY) private readonly temporal: ConfigType<typeof temporalConfig>,
    private readonly definitions: DefinitionsService,
    private readonly schedules: ScheduleStatusService,
    private readonly stats: SpawnLogStatsRepository,
  ) {}

  async overview(now = new Date()) {
    const definitions = this.definitions.all();
    const [counts, schedules, waiting] = await Promise.all([
      this.stats.countsByRule(
        definitions.map((d) => d.key),
        now,
      ),
      this.schedules.statuses(),
      this.stats.heldAndFailed(WAITING_LIMIT),
    ]);
    const scheduleOf = new Map(schedules.map((s) => [s.key, s]));
    const countsOf = (key: string, window: 'last_24h' | 'last_7d') =>
      Object.fromEntries(counts.filter((c) => c.source_id === key && c[window] > 0).map((c) => [c.status, c[window]]));
    const trigger = (definition: ActivityDefinition) => {
      if (definition.trigger.kind === 'event') return { kind: 'event', type: definition.trigger.type };
      const schedule = scheduleOf.get(definition.key);
      return {
        kind: 'schedule',
        cron: definition.trigger.cron,
        timezone: definition.trigger.timezone,
        next_tick: schedule?.nextTicks[0]?.toISOString() ?? null,
        schedule_error: schedule?.error ?? null,
      };
    };
    return {
      generated_at: now.toISOString(),
      sink_type: this.sink.type,
      statuses: SPAWN_STATUSES,
      temporal: { namespace: this.temporal.namespace, ui_url: this.temporal.uiUrl ?? null },
      rules: definitions.map((definition) => ({
        key: definition.key,
        description: definition.description,
        enabled: definition.enabled,
        trigger: trigger(definition),
        mode: ruleMode(this.sink, definition.key),
        hash: definition.hash,
        counts: { last_24h: countsOf(definition.key, 'last_24h'), last_7d: countsOf(definition.key, 'last_7d') },
      })),
      refused: this.definitions.errors().map((error) => ({
        file: error.file,
        field: error.field,
        reason: error.message,
        text: formatLoadError(error),
      })),
      held: waiting.pending.map(waitingView),
      failed: waiting.failed.map(waitingView),
    };
  }

  async chart(key: string, range: ChartRange, now = new Date()): Promise<{ key: string; range: ChartRange; bars: ChartBar[] }> {
    return { key, range, bars: chartBars(await this.stats.chart(key, range, now), range, now) };
  }
}
