// The suites that run the service as a separate process use the built app (dist/), like a deployment.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const BUILT_MAIN = join(ROOT, 'dist', 'main.js');
export const BUILT_CLI = join(ROOT, 'dist', 'cli.js');
const BUNDLE = join(ROOT, 'dist', 'temporal', 'workflow-bundle.js');

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    return Math.max(newest, mtime);
  }, 0);
}

/** Builds dist/ unless it is newer than every source file. */
export function ensureBuilt(): void {
  if (existsSync(BUNDLE) && existsSync(BUILT_MAIN) && statSync(BUNDLE).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  process.stdout.write('\nbuilding dist/ for the process-level suites (npm run build)\n');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
