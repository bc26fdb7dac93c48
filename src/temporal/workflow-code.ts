// Where a worker finds its workflow code.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Written by `npm run build` (bundle-workflows.ts) beside the compiled worker, in dist/temporal. */
export const WORKFLOW_BUNDLE_PATH = join(__dirname, 'workflow-bundle.js');

/**
 * The bundle this worker loads. Run from the TypeScript sources (the in-process test suites), this
 * file sits in src/temporal, and the bundle to load is the one in dist/: the test run's global setup
 * builds it from these same sources before any suite starts. Webpacking the sources again would
 * cost each worker about 2.5 s of CPU.
 */
export const LOADED_WORKFLOW_BUNDLE = __filename.endsWith('.ts') ? join(__dirname, '..', '..', 'dist', 'temporal', 'workflow-bundle.js') : WORKFLOW_BUNDLE_PATH;

/** Worker.create's workflow options: the prebuilt bundle, or the sources bundled at start when there is none. */
export function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  return existsSync(LOADED_WORKFLOW_BUNDLE) ? { workflowBundle: { codePath: LOADED_WORKFLOW_BUNDLE } } : { workflowsPath: require.resolve('./workflows') };
}
