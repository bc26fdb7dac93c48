// Build step: bundles the workflow code once, so production workers load it instead of webpacking at start.
import { bundleWorkflowCode } from '@temporalio/worker';
import { renameSync, writeFileSync } from 'node:fs';
import { WORKFLOW_BUNDLE_PATH } from './workflow-code';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows') });
  // Written whole, then renamed: a worker starting meanwhile reads the old bundle or the new one, never half of one.
  const partial = `${WORKFLOW_BUNDLE_PATH}.${process.pid}.partial`;
  writeFileSync(partial, code);
  renameSync(partial, WORKFLOW_BUNDLE_PATH);
  process.stdout.write(`workflow bundle written to ${WORKFLOW_BUNDLE_PATH} (${(code.length / 1024).toFixed(0)} KiB)\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bundling the workflows failed: ${error.stack}\n`);
  process.exit(1);
});
