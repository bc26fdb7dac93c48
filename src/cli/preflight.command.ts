// `activity-core preflight [--verify-idempotency]`: is this environment fit to run, and to go live?
import { Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Connection } from '@temporalio/client';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { issueCoreConfig, natsConfig, sinkConfig, temporalConfig } from '../config/namespaces';
import { timeBox } from '../common/time-box';
import { IssueCoreClient } from '../emission/issue-core.client';
import { describeFailure, IssueCoreGate } from '../emission/issue-core.gate';
import { EXIT, print } from './cli-output';
import { CommandDatabase } from './command-database.module';

interface PreflightOptions {
  verifyIdempotency?: boolean;
  targetRepo?: string;
}

type Verdict = { check: string; ok: boolean; detail: string };

const CHECK_BUDGET_MS = 5_000;

@Command({ name: 'preflight', description: 'Check Postgres, Temporal, NATS and issue-core (reachability, credentials); exit 1 if any fails' })
export class PreflightCommand extends CommandRunner {
  constructor(
    @Inject(sinkConfig.KEY) private readonly sink: ConfigType<typeof sinkConfig>,
    @Inject(issueCoreConfig.KEY) private readonly issueCore: ConfigType<typeof issueCoreConfig>,
    @Inject(temporalConfig.KEY) private readonly temporal: ConfigType<typeof temporalConfig>,
    @Inject(natsConfig.KEY) private readonly nats: ConfigType<typeof natsConfig>,
    private readonly database: CommandDatabase,
    private readonly issueCoreClient: IssueCoreClient,
    private readonly issueCoreGate: IssueCoreGate,
  ) {
    super();
  }

  async run(_args: string[], options: PreflightOptions): Promise<void> {
    const checks: Array<[string, () => Promise<string>]> = [
      ['postgres', () => this.checkPostgres()],
      ['temporal', () => this.checkTemporal()],
    ];
    if (this.nats.url) checks.push(['nats', () => this.checkNats(this.nats.url as string)]);
    const live = this.sink.type === 'rest';
    if (live) checks.push(['issue-core', () => this.checkIssueCore()]);
    if (live && options.verifyIdempotency) checks.push(['idempotency', () => this.verifyIdempotency(options.targetRepo ?? 'activity-core')]);

    const verdicts: Verdict[] = [];
    for (const [check, run] of checks) {
      const verdict = await timeBox(run(), options.verifyIdempotency ? 4 * CHECK_BUDGET_MS : CHECK_BUDGET_MS, check).then(
        (detail) => ({ check, ok: true, detail }),
        (error: Error) => ({ check, ok: false, detail: error.message }),
      );
      verdicts.push(verdict);
      print(`${verdict.ok ? 'ok  ' : 'FAIL'}  ${check.padEnd(12)} ${verdict.detail}`);
    }
    if (!live) print(`note  issue-core   not checked: ISSUE_SINK_TYPE=${this.sink.type} (dry-run)`);
    const failed = verdicts.filter((v) => !v.ok).length;
    print(failed ? `${failed} check(s) failed` : 'all checks passed');
    process.exitCode = failed ? EXIT.failed : EXIT.ok;
  }

  @Option({ flags: '--verify-idempotency', description: 'create one clearly labelled canary task twice with one key and confirm a single issue_id' })
  parseVerify(): boolean {
    return true;
  }

  @Option({ flags: '--target-repo <repo>', description: 'target_repo of the canary task (default activity-core)' })
  parseTargetRepo(value: string): string {
    return value;
  }

  private async checkPostgres(): Promise<string> {
    const rows: Array<{ version: string }> = await (await this.database.connect()).query('SELECT version()');
    return rows[0].version.split(' on ')[0];
  }

  private async checkTemporal(): Promise<string> {
    const { address, namespace } = this.temporal;
    const connection = await Connection.connect({ address, connectTimeout: CHECK_BUDGET_MS });
    try {
      await connection.withDeadline(Date.now() + CHECK_BUDGET_MS, () => connection.workflowService.describeNamespace({ namespace }));
      return `${address}, namespace ${namespace}`;
    } finally {
      await connection.close();
    }
  }

  private async checkNats(url: string): Promise<string> {
    const connection = await connect({ servers: url, timeout: CHECK_BUDGET_MS });
    try {
      return `${url} (server ${connection.info?.version ?? 'unknown'}, JetStream ${connection.info?.jetstream ? 'on' : 'off'})`;
    } finally {
      await connection.close();
    }
  }

  private async checkIssueCore(): Promise<string> {
    const failure = describeFailure(await this.issueCoreGate.verify(true));
    if (failure) throw new Error(failure);
    return `${this.issueCore.url} reachable, credentials accepted`;
  }

  private async verifyIdempotency(targetRepo: string): Promise<string> {
    const key = `activity-core-preflight/${randomBytes(6).toString('hex')}`;
    const spec = {
      title: '[activity-core preflight] canary task: safe to close',
      description: `Created by activity-core preflight --verify-idempotency with Idempotency-Key ${key}, twice; one issue is expected.`,
      target_repo: targetRepo,
      priority: 'low',
      labels: ['activity-core-preflight', 'canary'],
      due_in_days: null,
      source_type: 'rule' as const,
      source_id: 'activity-core-preflight',
      triggering_event_id: key,
      activity_definition_id: '00000000-0000-0000-0000-000000000000',
    };
    const first = await this.issueCoreClient.createIssue(spec, key, 'preflight canary');
    const second = await this.issueCoreClient.createIssue(spec, key, 'preflight canary (repeat)');
    if (first.taskRef !== second.taskRef) {
      throw new Error(`issue-core created two issues for one Idempotency-Key: ${first.taskRef} and ${second.taskRef}`);
    }
    return `one canary issue ${first.taskRef} for two requests with one key (close it when done)`;
  }
}
