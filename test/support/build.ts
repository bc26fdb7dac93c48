// The suites that run the service as a separate process use the built app (dist/), like a deployment.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
// The bundle the in-process suites' workers load: dist/'s, which this build writes.
import { LOADED_WORKFLOW_BUNDLE as BUNDLE } from '../../src/temporal/workflow-code';

const ROOT = join(__dirname, '..', '..');
export const BUILT_MAIN = join(ROOT, 'dist', 'main.js');
export const BUILT_CLI = join(ROOT, 'dist', 'cli.js');

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    return Math.max(newest, mtime);
  }, 0);
}

/** What dist/ is built from: the sources, the installed packages (the workflow bundle holds the workflow SDK) and the build's configuration. */
const BUILD_INPUTS = ['src', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'].map((path) => join(ROOT, path));

const mtimeOf = (path: string): number => (statSync(path).isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);

/** Builds dist/ unless it is newer than everything it is built from. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(BUNDLE) && existsSync(BUILT_MAIN) && statSync(BUNDLE).mtimeMs >= Math.max(...BUILD_INPUTS.map(mtimeOf))) return;
  process.stdout.write('\nbuilding dist/ for the process-level suites (npm run build)\n');
  try {
    await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}
