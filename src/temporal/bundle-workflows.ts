// Build step: bundles the workflow code once, so production workers load it instead of webpacking at start.
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { WORKFLOW_BUNDLE_PATH } from './workflow-code';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows') });
  writeFileSync(WORKFLOW_BUNDLE_PATH, code);
  process.stdout.write(`workflow bundle written to ${WORKFLOW_BUNDLE_PATH} (${(code.length / 1024).toFixed(0)} KiB)\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bundling the workflows failed: ${error.stack}\n`);
  process.exit(1);
});
