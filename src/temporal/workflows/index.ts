// Every workflow the worker runs. Workflow code imports only @temporalio/workflow, types and constants.
export { spawnWorkflow } from './spawn.workflow';
export { sweepPendingSpawnsWorkflow } from './sweep.workflow';
export { scheduleTickWorkflow } from './schedule-tick.workflow';
export { pruneEventsWorkflow } from './prune-events.workflow';
