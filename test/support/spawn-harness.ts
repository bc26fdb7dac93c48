// Records a decision the way the rules do and requests its spawn, against a booted app.
import { Client } from '@temporalio/client';
import type { INestApplication } from '@nestjs/common';
import { SpawnService } from '../../src/spawn/spawn.service';
import { deriveWorkflowId } from '../../src/rules/workflow-id';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import type { TaskSpawnLog } from '../../src/spawn-log/task-spawn-log.entity';
import { TemporalClientService } from '../../src/temporal/temporal-client.service';
import { aDecision } from '../factories/decision';
import { aTaskSpec } from '../factories/task-spec';
import { eventually } from './poll';

export class SpawnHarness {
  readonly spawnLog: SpawnLogRepository;
  readonly spawns: SpawnService;

  constructor(private readonly app: INestApplication) {
    this.spawnLog = app.get(SpawnLogRepository);
    this.spawns = app.get(SpawnService);
  }

  get client(): Client {
    return this.app.get(TemporalClientService).client;
  }

  async recordDecision(rule: string, dedupeKey: string, sinkType: 'null' | 'rest' = 'null'): Promise<TaskSpawnLog> {
    const { row } = await this.spawnLog.recordDecision(
      aDecision({
        source_id: rule,
        dedupe_key: dedupeKey,
        triggering_event_id: dedupeKey,
        workflow_id: deriveWorkflowId(rule, dedupeKey),
        sink_type: sinkType,
        task_spec: aTaskSpec({ source_id: rule, triggering_event_id: dedupeKey, title: `Task for ${dedupeKey}` }),
      }),
    );
    return row;
  }

  waitForStatus(id: string, status: TaskSpawnLog['status'], timeoutMs = 30_000): Promise<TaskSpawnLog> {
    return eventually(
      async () => {
        const row = await this.spawnLog.findById(id);
        return row?.status === status ? row : undefined;
      },
      `decision ${id} to be ${status}`,
      timeoutMs,
    );
  }

  async workflowRuns(workflowId: string): Promise<number> {
    let runs = 0;
    for await (const _ of this.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs++;
    return runs;
  }
}
