// Run inside a network namespace (under nsenter): listens on <dir>/<port>.sock for each port and
// forwards to 127.0.0.1:<port> of the namespace. Unix sockets live in the file system, which the
// namespace shares, so a test outside it reaches the namespace's services through them.
// usage: node namespace-bridge.js <dir> <port>...
const { createConnection, createServer } = require('node:net');
const { join } = require('node:path');

const [dir, ...ports] = process.argv.slice(2);
for (const port of ports) {
  createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: Number(port) });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }).listen(join(dir, `${port}.sock`));
}
process.on('SIGTERM', () => process.exit(0));
