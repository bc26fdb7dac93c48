// Temporal namespaces created when the run's dev server starts: one per suite that needs
// schedules (they are per namespace), so suites never see each other's schedules.
export const TEST_NAMESPACES = [
  'ac-spawn',
  'ac-spawn-live',
  'ac-boot',
  'ac-kill',
  'ac-rules',
  'ac-schedules',
  'ac-intake',
  'ac-intake-faults',
  'ac-bench',
  'ac-hostile',
  'ac-hostile-defs',
  'ac-hostile-ticks',
  'ac-contract',
  'ac-openapi',
  'ac-agreement',
  'ac-console',
  'ac-metrics',
  'ac-demo',
  'ac-live-safety',
  'ac-mode-switch',
  'ac-recovery',
  'ac-replicas',
  'ac-rollout',
] as const;
export type TestNamespace = (typeof TEST_NAMESPACES)[number];
