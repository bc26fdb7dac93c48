// `npm start` on a machine where no Postgres and no NATS answer: run in a network namespace with
// only loopback, it brings up an embedded Postgres and a nats-server of its own (and a Temporal dev
// server), keeps their data in DEV_DATA_DIR across starts, and leaves nothing running after Ctrl-C.
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceNodeFlags } from '../../src/bench/bench-process';
import { anEvent, EVENT_RULE } from '../factories/definition';
import { DefinitionsDir } from '../support/definitions-dir';
import { LoopbackNamespace } from '../support/loopback-namespace';
import { eventually } from '../support/poll';
import { findTemporalCli } from '../support/temporal-server';

const ROOT = join(__dirname, '..', '..');
const APP_PORT = 3000;
const NATS_PORT = 4222;

/** A data directory of the test's own; as root, the embedded Postgres runs as `postgres` and must reach it. */
function dataDirectory(): string {
  const path = mkdtempSync(join(tmpdir(), 'ac-dev-data-'));
  chmodSync(path, 0o755);
  return path;
}

describe('npm start where no Postgres and no NATS answer', () => {
  const definitions = new DefinitionsDir().withShipped('flag-stale-sbom.yaml').write('sbom-failed.yaml', EVENT_RULE);
  const dataDir = dataDirectory();
  const emptyDataDirs: string[] = [];
  const started: LoopbackNamespace[] = [];
  const event = anEvent({ id: `dev-start-${randomBytes(4).toString('hex')}` });
  let first: LoopbackNamespace;
  let decision: { id: string; task_ref: string | null };

  // Built before: nothing can be downloaded inside the namespace.
  beforeAll(() => {
    execFileSync('bash', ['scripts/ensure-nats-server.sh'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    findTemporalCli();
  }, 900_000);

  afterAll(async () => {
    for (const namespace of started) await namespace.destroy();
    for (const path of [dataDir, ...emptyDataDirs]) rmSync(path, { recursive: true, force: true });
    definitions.cleanup();
  });

  function npmStart(env: Record<string, string> = {}): LoopbackNamespace {
    const passed = ['PATH', 'HOME', 'TEMPORAL_CLI', 'NATS_SERVER_BIN'].filter((name) => process.env[name] !== undefined);
    const namespace = new LoopbackNamespace(['npm', 'start'], {
      cwd: ROOT,
      env: {
        ...Object.fromEntries(passed.map((name) => [name, process.env[name]])),
        DEV_DATA_DIR: dataDir,
        DEV_SKIP_SETUP: '1', // built by the run's global setup; never install under a running suite
        DEFINITIONS_DIR: definitions.path,
        LOG_LEVEL: 'warn',
        ...env,
      },
    }).start();
    started.push(namespace);
    return namespace;
  }

  async function readyApp(namespace: LoopbackNamespace): Promise<{ app: string; nats: string; health: { info: object } }> {
    await namespace.entered();
    const ports = await namespace.expose(APP_PORT, NATS_PORT);
    const app = `http://127.0.0.1:${ports[APP_PORT]}`;
    const health = await Promise.race([
      eventually(
        async () => {
          const response = await fetch(`${app}/health/ready`);
          return response.status === 200 ? ((await response.json()) as { info: object }) : undefined;
        },
        'npm start to be ready',
        240_000,
        500,
      ),
      namespace.failOnExit(),
    ]);
    return { app, nats: `nats://127.0.0.1:${ports[NATS_PORT]}`, health };
  }

  /** Ctrl-C as a user gives it, to the script itself; returns what is left of the namespace's processes. */
  async function interrupt(namespace: LoopbackNamespace) {
    const script = namespace.processes().find(({ command }) => command === 'bash scripts/dev.sh');
    if (!script) throw new Error(`scripts/dev.sh is not running: ${JSON.stringify(namespace.processes())}`);
    process.kill(script.pid, 'SIGINT');
    await namespace.exited(60_000);
    const left = namespace.processes();
    await namespace.closeBridge();
    return left;
  }

  it('brings up Postgres, NATS and Temporal, and a CloudEvent published to its NATS becomes a dry-run decision', async () => {
    first = npmStart();
    const { app, nats, health } = await readyApp(first);
    expect(health.info).toMatchObject({ postgres: { status: 'up' }, nats: { status: 'up' }, temporal: { status: 'up' } });
    expect(first.output).toMatch(/Postgres: started embedded at postgres:\/\/127\.0\.0\.1:5432\/activity_core, data in .*postgres, initialised now/);
    expect(first.output).toMatch(/NATS: started \S*nats-server with JetStream at nats:\/\/127\.0\.0\.1:4222, store in .*nats/);
    expect(first.output).toMatch(/Temporal: started a dev server at 127\.0\.0\.1:7233, state in .*temporal\.db/);
    // The service runs with the Node flags start:prod gives it (package.json config.node_flags).
    expect(first.processes().map(({ command }) => command)).toContain(`node ${serviceNodeFlags().join(' ')} dist/main.js`);

    const connection = await connect({ servers: nats });
    await jetstream(connection).publish('events.sbom', JSON.stringify(event));
    await connection.close();

    decision = await eventually(
      async () => {
        const page = (await (await fetch(`${app}/spawn-log?triggering_event_id=${event.id}`)).json()) as {
          items: Array<{ id: string; source_id: string; status: string; task_ref: string | null }>;
        };
        const row = page.items[0];
        return row?.status === 'emitted' ? row : undefined;
      },
      'the decision of the published event to be emitted',
      60_000,
      250,
    );
    expect(decision).toMatchObject({ source_id: 'sbom-failed', task_ref: expect.stringMatching(/^null-[0-9a-f]+$/) });
  }, 300_000);

  it('Ctrl-C (SIGINT to the script) leaves no process of its own running', async () => {
    expect(await interrupt(first)).toEqual([]);
    // Nothing of the script either anywhere else on the machine: no process uses its data directory.
    const users = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
        } catch {
          return false;
        }
      });
    expect(users).toEqual([]);
  }, 120_000);

  it('a second start reuses the data: the decision is still there', async () => {
    const second = npmStart();
    const { app } = await readyApp(second);
    expect(second.output).toMatch(/Postgres: started embedded .*kept from the last start/);
    const response = await fetch(`${app}/spawn-log/${decision.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: decision.id, task_ref: decision.task_ref, status: 'emitted' });
    expect(await interrupt(second)).toEqual([]);
  }, 300_000);

  it.each([
    ['DATABASE_URL', 'postgres://postgres@127.0.0.1:5999/activity_core'],
    ['NATS_URL', 'nats://127.0.0.1:5999'],
  ])(
    '%s set to a closed port: npm start exits non-zero naming it, and starts no embedded engine',
    async (variable, url) => {
      const emptyDataDir = dataDirectory();
      emptyDataDirs.push(emptyDataDir);
      const run = npmStart({ [variable]: url, DEV_DATA_DIR: emptyDataDir });
      const { code } = await run.exited(60_000);
      expect(code).not.toBe(0);
      expect(run.output).toContain(`(${variable})`);
      expect(run.output).not.toMatch(/(Postgres|NATS|Temporal): started/);
      expect(existsSync(join(emptyDataDir, 'postgres'))).toBe(false);
      expect(existsSync(join(emptyDataDir, 'nats'))).toBe(false);
    },
    90_000,
  );
});
