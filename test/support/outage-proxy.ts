/**
 * A TCP proxy in front of a Vault that can play a network outage: `cut()` resets every open
 * connection and every new one (the app sees ECONNRESET, as when a node or a link is down),
 * `hang()` accepts connections and never forwards a byte (a dead socket), `restore()` ends either.
 * `attempts` counts the connections the app opened while cut or hung.
 */
import { connect, createServer, type Socket } from 'node:net';
import { freePort } from './vault-target.js';

export interface OutageProxy {
  readonly url: string;
  /** Connections opened while cut or hung. */
  readonly attempts: number;
  cut(): void;
  hang(): void;
  restore(): void;
  stop(): Promise<void>;
}

export async function startOutageProxy(targetUrl: string): Promise<OutageProxy> {
  const upstream = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let mode: 'up' | 'cut' | 'hang' = 'up';
  let attempts = 0;
  const server = createServer(client => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (mode !== 'up') {
      attempts++;
      if (mode === 'cut') client.resetAndDestroy();
      return;
    }
    const remote = connect(Number(upstream.port), upstream.hostname);
    sockets.add(remote);
    remote.on('close', () => sockets.delete(remote));
    remote.on('error', () => client.destroy());
    client.pipe(remote);
    remote.pipe(client);
    client.on('close', () => remote.destroy());
    remote.on('close', () => client.destroy());
  });
  const port = await freePort();
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const dropAll = () => {
    for (const s of sockets) s.resetAndDestroy();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    get attempts() {
      return attempts;
    },
    cut() {
      mode = 'cut';
      attempts = 0;
      dropAll();
    },
    hang() {
      mode = 'hang';
      attempts = 0;
      dropAll();
    },
    restore() {
      mode = 'up';
    },
    async stop() {
      dropAll();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
