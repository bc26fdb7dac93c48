// `activity-core schedules prune`: reconcile the rule schedules with the definitions on disk,
// deleting those of rules gone or disabled. Start-up never deletes (a newer instance may need them),
// so this is the last step of a rollout, run once every instance has the new definitions.
import { Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { temporalConfig } from '../config/namespaces';
import { timeBox } from '../common/time-box';
import { DefinitionsService } from '../rules/definitions.service';
import { ScheduleReconciler } from '../rules/schedule-reconciler.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { EXIT, print, printError } from './cli-output';

const CONNECT_BUDGET_MS = 10_000;

@SubCommand({ name: 'prune', description: 'Sync rule schedules with the definitions on disk, deleting those of rules gone or disabled' })
export class SchedulesPruneCommand extends CommandRunner {
  constructor(
    @Inject(temporalConfig.KEY) private readonly temporalSettings: ConfigType<typeof temporalConfig>,
    private readonly definitions: DefinitionsService,
    private readonly temporal: TemporalClientService,
    private readonly reconciler: ScheduleReconciler,
  ) {
    super();
  }

  async run(): Promise<void> {
    this.definitions.reload();
    this.temporal.connect();
    await timeBox(this.temporal.whenConnected(), CONNECT_BUDGET_MS, `Temporal at ${this.temporalSettings.address}`);
    const report = await this.reconciler.reconcile({ prune: true });
    for (const [what, ids] of Object.entries({ created: report.created, updated: report.updated, deleted: report.deleted, kept: report.stale })) {
      if (ids.length) print(`${what.padEnd(8)} ${ids.join(', ')}`);
    }
    for (const failure of report.failed) printError(`FAIL     ${failure.schedule_id}: ${failure.error}`);
    if (report.stale.length) print('kept: rules whose file was refused at load (fix the file, then prune again)');
    process.exitCode = report.failed.length ? EXIT.failed : EXIT.ok;
  }
}

@Command({ name: 'schedules', description: 'Manage the rule schedules in Temporal', subCommands: [SchedulesPruneCommand] })
export class SchedulesCommand extends CommandRunner {
  async run(): Promise<void> {
    printError('usage: activity-core schedules prune');
    process.exitCode = EXIT.invalid;
  }
}
