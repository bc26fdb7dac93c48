// The spawn workflow's failure path on the Temporal SDK's own test environment (on the run's dev
// server), with its activities mocked: what it retries, what it does not, and what it records once
// emission has ended. The real activities and sinks are covered by test/e2e/spawn.e2e.spec.ts.
import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { WORKFLOW, type EmitTasksResult, type SpawnActivities } from '../../src/temporal/activity-contracts';
import { NON_RETRYABLE_SPAWN_ERRORS } from '../../src/temporal/retry-policy';
import type { spawnWorkflow } from '../../src/temporal/workflows';
import { workflowCode } from '../../src/temporal/workflow-code';
import { uniqueTaskQueue } from '../factories/config';

const EMITTED: EmitTasksResult = { taskRef: 'ISSUE-1', sinkType: 'rest', alreadyEmitted: false };
const UNAVAILABLE = 'issue-core answered 503 for flag-stale-sbom/acme-api: {"detail":"maintenance"}';
const REJECTED = 'issue-core answered 422 for flag-stale-sbom/acme-api: {"detail":"missing target_repo"}';

/** What one decision's activities do on a given attempt. */
interface Script {
  emit(attempt: number): Promise<EmitTasksResult>;
  record?(attempt: number): Promise<void>;
}

describe('spawnWorkflow on the SDK test environment, activities mocked', () => {
  const taskQueue = uniqueTaskQueue('spawn-workflow');
  const scripts = new Map<string, Script>();
  const emitAttempts = new Map<string, number[]>();
  const recorded = new Map<string, string[]>();
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  const scriptOf = (decisionId: string) => {
    const script = scripts.get(decisionId);
    if (!script) throw ApplicationFailure.nonRetryable(`no script for ${decisionId}`, 'TestSetup');
    return script;
  };
  const activities: SpawnActivities = {
    async emit_tasks({ decisionId }) {
      const { attempt } = Context.current().info;
      emitAttempts.set(decisionId, [...(emitAttempts.get(decisionId) ?? []), attempt]);
      return scriptOf(decisionId).emit(attempt);
    },
    async record_spawn_failure({ decisionId, error }) {
      await scriptOf(decisionId).record?.(Context.current().info.attempt);
      recorded.set(decisionId, [...(recorded.get(decisionId) ?? []), error]);
    },
    async sweep_pending_spawns() {
      return { requested: 0, requestedAgain: 0 };
    },
  };

  beforeAll(async () => {
    // The failures below are expected: the SDK's warnings about them would only be noise.
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_TEST_ADDRESS });
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace,
      taskQueue,
      ...workflowCode(),
      activities,
    });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  function spawn(script: Script): { decisionId: string; result: Promise<EmitTasksResult> } {
    const decisionId = randomUUID();
    scripts.set(decisionId, script);
    const result = env.client.workflow.execute<typeof spawnWorkflow>(WORKFLOW.spawn, {
      taskQueue,
      workflowId: `spawn-workflow-test/${decisionId}`,
      args: [{ decisionId }],
      // A workflow that retries what it should not fails here, well within the test's timeout.
      workflowRunTimeout: '30 seconds',
    });
    return { decisionId, result };
  }

  async function failureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
    const error = await result.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activity = (error as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity?.cause).toBeInstanceOf(ApplicationFailure);
    return activity?.cause as ApplicationFailure;
  }

  it('retries a sink failure with backoff until the emission succeeds; nothing is recorded as failed', async () => {
    const { decisionId, result } = spawn({
      emit: async (attempt) => {
        if (attempt < 3) throw ApplicationFailure.create({ type: 'SinkRetryableError', message: UNAVAILABLE });
        return EMITTED;
      },
    });
    await expect(result).resolves.toEqual(EMITTED);
    expect(emitAttempts.get(decisionId)).toEqual([1, 2, 3]);
    expect(recorded.get(decisionId)).toBeUndefined();
    // Temporal's history keeps the attempt count and the last failure.
    const { events } = await env.client.workflow.getHandle(`spawn-workflow-test/${decisionId}`).fetchHistory();
    const started = (events ?? []).find((event) => event.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    expect(started?.attempt).toBe(3);
    expect(started?.lastFailure?.message).toBe(UNAVAILABLE);
  });

  it.each(NON_RETRYABLE_SPAWN_ERRORS)('ends at the first %s (named by the retry policy): the decision is recorded failed with its reason', async (type) => {
    // Not flagged non-retryable by the activity: the workflow's retry policy alone stops it.
    const { decisionId, result } = spawn({
      emit: async () => {
        throw ApplicationFailure.create({ type, message: REJECTED });
      },
    });
    const failure = await failureOf(result);
    expect(failure.type).toBe(type);
    expect(failure.message).toBe(REJECTED);
    expect(emitAttempts.get(decisionId)).toEqual([1]);
    expect(recorded.get(decisionId)).toEqual([REJECTED]);
  });

  it('ends at the first failure the activity flags non-retryable (a suppressed decision)', async () => {
    const { decisionId, result } = spawn({
      emit: async () => {
        throw ApplicationFailure.nonRetryable('decision is suppressed (duplicate)', 'DecisionSuppressed');
      },
    });
    expect((await failureOf(result)).type).toBe('DecisionSuppressed');
    expect(emitAttempts.get(decisionId)).toEqual([1]);
    expect(recorded.get(decisionId)).toEqual(['decision is suppressed (duplicate)']);
  });

  it('records the failure even when the first attempt to record it fails', async () => {
    const { decisionId, result } = spawn({
      emit: async () => {
        throw ApplicationFailure.create({ type: 'SinkRejectedError', message: REJECTED });
      },
      record: async (attempt) => {
        if (attempt === 1) throw ApplicationFailure.create({ type: 'DatabaseUnavailable', message: 'Postgres unreachable' });
      },
    });
    expect((await failureOf(result)).message).toBe(REJECTED);
    expect(recorded.get(decisionId)).toEqual([REJECTED]);
  });
});
