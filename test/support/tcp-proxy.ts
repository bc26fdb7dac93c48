// A TCP proxy the test controls, to take a dependency away without stopping the machine's own.
import { createConnection, createServer, NetConnectOpts, Server, Socket } from 'node:net';

export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private up = true;
  port = 0;
  private target: NetConnectOpts;

  constructor(targetHost: string, targetPort: number) {
    this.target = { host: targetHost, port: targetPort };
  }

  /** A proxy to a Unix socket: a service in another network namespace, through a bridge inside it. */
  static toUnixSocket(path: string): TcpProxy {
    const proxy = new TcpProxy('', 0);
    proxy.target = { path };
    return proxy;
  }

  async start(): Promise<this> {
    this.server = createServer((client) => {
      if (!this.up) {
        client.destroy();
        return;
      }
      const upstream = createConnection(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** Cuts every open connection and refuses new ones until restore(). */
  cut(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.up = true;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
