// `activity-core preflight [--verify-idempotency]`: is this environment fit to run, and to go live?
import { Inject } from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { timeBox } from '../common/time-box';
import { IssueCoreClient } from '../emission/issue-core.client';
import { describeFailure, IssueCoreGate } from '../emission/issue-core.gate';
import { EXIT, print } from './cli-output';
import { withDataSource } from './with-data-source';

interface PreflightOptions {
  verifyIdempotency?: boolean;
  targetRepo?: string;
}

type Verdict = { check: string; ok: boolean; detail: string };

const CHECK_BUDGET_MS = 5_000;

@Command({ name: 'preflight', description: 'Check Postgres, Temporal, NATS and issue-core (reachability, credentials); exit 1 if any fails' })
export class PreflightCommand extends CommandRunner {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async run(_args: string[], options: PreflightOptions): Promise<void> {
    const checks: Array<[string, () => Promise<string>]> = [
      ['postgres', () => withDataSource(this.config.databaseUrl, async (db) => (await db.query<Array<{ version: string }>>('SELECT version()'))[0].version.split(' on ')[0])],
      ['temporal', () => this.checkTemporal()],
    ];
    if (this.config.nats.url) checks.push(['nats', () => this.checkNats(this.config.nats.url as string)]);
    const live = this.config.sink.type === 'rest';
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
    if (!live) print(`note  issue-core   not checked: ISSUE_SINK_TYPE=${this.config.sink.type} (dry-run)`);
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

  private async checkTemporal(): Promise<string> {
    const { address, namespace } = this.config.temporal;
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
    const gate = new IssueCoreGate(new IssueCoreClient(this.config), this.config);
    const failure = describeFailure(await gate.verify(true));
    if (failure) throw new Error(failure);
    return `${this.config.issueCore.url} reachable, credentials accepted`;
  }

  private async verifyIdempotency(targetRepo: string): Promise<string> {
    const client = new IssueCoreClient(this.config);
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
    const first = await client.createIssue(spec, key, 'preflight canary');
    const second = await client.createIssue(spec, key, 'preflight canary (repeat)');
    if (first.taskRef !== second.taskRef) {
      throw new Error(`issue-core created two issues for one Idempotency-Key: ${first.taskRef} and ${second.taskRef}`);
    }
    return `one canary issue ${first.taskRef} for two requests with one key (close it when done)`;
  }
}
