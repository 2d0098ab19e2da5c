import { createServer, Server, Socket } from 'node:net';

/**
 * A TCP hop between the app and a real service (PostgreSQL, Redis, S3) that a test can cut and restore,
 * to see how the system behaves when a dependency goes away mid-run and comes back.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** See breakOnceAfter. */
  private breakAfterBytes: number | null = null;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = this.port): Promise<number> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      upstream.connect(this.targetPort, this.targetHost, () => {
        client.pipe(upstream);
        upstream.pipe(client);
      });
      let carried = 0;
      upstream.on('data', (chunk: Buffer) => {
        carried += chunk.length;
        if (this.breakAfterBytes === null || carried <= this.breakAfterBytes) return;
        this.breakAfterBytes = null;
        upstream.destroy();
        client.destroy();
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** Refuses new connections and drops open ones, as if the service had crashed. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /**
   * Drops the first connection that has carried more than `bytes` from the service, as a weak link drops
   * a download halfway; connections after it pass as usual.
   */
  breakOnceAfter(bytes: number): void {
    this.breakAfterBytes = bytes;
  }

  /** Comes back on the same port. */
  restore(): Promise<number> {
    return this.start(this.port);
  }
}
