// Longest suites first, so that neither worker is left alone with a long suite at the end of the
// run. Jest orders by the durations in its cache; a clean clone has none, and jest falls back on file
// size, which starts the 1,000,000-row spawn-log suite (a short file) among the last.
// EXPECTED_SECONDS is that fallback: what each suite of 3 s or more took in a full run on a 2-core
// machine. A suite missing from it counts as 1 s; jest's own durations win once it has them.
const Sequencer = require('@jest/test-sequencer').default;
const { relative } = require('node:path');

const EXPECTED_SECONDS = {
  'test/e2e/cli.e2e.spec.ts': 31,
  'test/e2e/replicas.e2e.spec.ts': 26,
  'test/integration/spawn-log-explain.spec.ts': 22,
  'test/e2e/intake-faults.e2e.spec.ts': 20,
  'test/e2e/worker-process.e2e.spec.ts': 19,
  'test/e2e/spawn-recovery.e2e.spec.ts': 14,
  'test/e2e/dev-start.e2e.spec.ts': 14,
  'test/e2e/spawn.e2e.spec.ts': 12,
  'test/e2e/hostile-definitions.e2e.spec.ts': 12,
  'test/e2e/temporal-outage.e2e.spec.ts': 12,
  'test/e2e/api-contract.e2e.spec.ts': 10,
  'test/e2e/hostile-intake.e2e.spec.ts': 9,
  'test/e2e/live-safety.e2e.spec.ts': 9,
  'test/e2e/console.e2e.spec.ts': 8,
  'test/e2e/metrics.e2e.spec.ts': 8,
  'test/e2e/tester-agreement.e2e.spec.ts': 7,
  'test/e2e/schedule-rollout.e2e.spec.ts': 7,
  'test/integration/spawn-workflow.spec.ts': 6,
  'test/integration/console-queries.spec.ts': 6,
  'test/e2e/mode-switch.e2e.spec.ts': 6,
  'test/e2e/openapi-conformance.e2e.spec.ts': 5,
  'test/e2e/schedules.e2e.spec.ts': 5,
  'test/e2e/alerting.e2e.spec.ts': 5,
  'test/e2e/intake.e2e.spec.ts': 4,
  'test/integration/jetstream-consumer.spec.ts': 4,
  'test/e2e/demo.e2e.spec.ts': 4,
  'test/unit/rules.spec.ts': 3,
  'test/integration/spawn-log.repository.spec.ts': 3,
  'test/integration/event-partitions.spec.ts': 3,
  'test/integration/flag-stale-sbom.spec.ts': 3,
  'test/integration/event-rules.spec.ts': 3,
  'test/integration/latest-of.property.spec.ts': 3,
};

class LongestFirst extends Sequencer {
  /** Milliseconds, as jest keeps them. */
  time(test) {
    const cached = super.time(test);
    if (cached != null) return cached;
    const expected = EXPECTED_SECONDS[relative(test.context.config.rootDir, test.path)];
    return (expected ?? 1) * 1000;
  }
}

module.exports = LongestFirst;
