// Makes sure the database of a Postgres URL exists, creating it through the server's `postgres`
// database. Waits (up to 30 s) for a server that is still starting. Never prints the URL's userinfo.
// usage: node scripts/ensure-database.mjs <postgres url>
import pg from 'pg';

const url = new URL(process.argv[2] ?? '');
const database = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
const where = `${url.hostname}:${url.port || 5432}`;
const admin = new URL(url);
admin.pathname = '/postgres';

// "The database system is starting up" (57P03), or a reset while it does: the server is on its way.
const starting = (error) => ['57P03', 'ECONNRESET'].includes(error?.code);
// The server's message may quote the user name; the URL's userinfo never reaches a log line.
const redact = (message) => [url.username, url.password].filter(Boolean).reduce((text, secret) => text.split(decodeURIComponent(secret)).join('…'), message);

async function connectAdmin() {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (!starting(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

try {
  const client = await connectAdmin();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (rowCount === 0) {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    console.error(`[postgres] created database ${database} on ${where}`);
  }
  await client.end();
} catch (error) {
  console.error(`[postgres] could not reach or prepare database ${database} on ${where} (DATABASE_URL): ${redact(String(error?.message ?? error))}`);
  process.exit(1);
}
