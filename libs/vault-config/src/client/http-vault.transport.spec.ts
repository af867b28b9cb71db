/**
 * HttpVaultTransport and keep-alive: a server may close an idle connection just as the client sends
 * the next request on it (Node's http server after 5 s, a load balancer's idle timeout; on a busy
 * machine the client's timers are late to drop the socket first). Played here by a TCP server that
 * answers the first request of each connection and resets the connection when a second one comes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpVaultTransport } from './http-vault.transport.js';

const ANSWER = JSON.stringify({ initialized: true, sealed: false, standby: false });

function oneRequestPerConnection(): Promise<{
  server: Server;
  url: string;
  requests: () => number;
}> {
  let requests = 0;
  const server = createServer((socket: Socket) => {
    let served = false;
    socket.on('error', () => undefined);
    socket.on('data', () => {
      requests += 1;
      if (served) {
        socket.resetAndDestroy(); // the idle connection is gone: RST, the request is never read
        return;
      }
      served = true;
      socket.write(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n' +
          `Content-Length: ${Buffer.byteLength(ANSWER)}\r\n\r\n${ANSWER}`,
      );
    });
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}`, requests: () => requests });
    }),
  );
}

describe('HttpVaultTransport: a kept-alive connection the server has dropped', () => {
  let target: Awaited<ReturnType<typeof oneRequestPerConnection>>;
  beforeAll(async () => {
    target = await oneRequestPerConnection();
  });
  afterAll(() => new Promise<void>(done => target.server.close(() => done())));

  it('sends a read again on a new connection when a reused one is reset before any answer', async () => {
    const transport = new HttpVaultTransport({ address: target.url, timeoutMs: 2000 });
    try {
      const first = await transport.request({ method: 'GET', path: 'sys/health' });
      expect(first.status).toBe(200);
      await new Promise(r => setTimeout(r, 20)); // the socket is back in the agent's free list
      const second = await transport.request({ method: 'GET', path: 'sys/health' });
      expect(second).toMatchObject({ status: 200, body: { sealed: false } });
      expect(target.requests()).toBe(3); // served, reset on the reused socket, served on a new one
    } finally {
      transport.close();
    }
  });

  it('a write is never sent again: the reset may have come after Vault applied it', async () => {
    const transport = new HttpVaultTransport({ address: target.url, timeoutMs: 2000 });
    try {
      await transport.request({ method: 'GET', path: 'sys/health' });
      await new Promise(r => setTimeout(r, 20));
      const before = target.requests();
      await expect(
        transport.request({ method: 'POST', path: 'secret/data/app', body: { data: {} } }),
      ).rejects.toMatchObject({ name: 'VaultUnavailableError', errorCode: 'ECONNRESET' });
      expect(target.requests() - before).toBe(1);
    } finally {
      transport.close();
    }
  });

  it('a reset on a new connection is not sent again: it is the error it was', async () => {
    const transport = new HttpVaultTransport({ address: target.url, timeoutMs: 2000 });
    const reset = createServer(socket => socket.on('data', () => socket.resetAndDestroy()));
    await new Promise<void>(r => reset.listen(0, '127.0.0.1', () => r()));
    const { port } = reset.address() as { port: number };
    const fresh = new HttpVaultTransport({ address: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    try {
      await expect(fresh.request({ method: 'GET', path: 'sys/health' })).rejects.toMatchObject({
        name: 'VaultUnavailableError',
        errorCode: 'ECONNRESET',
      });
    } finally {
      fresh.close();
      transport.close();
      await new Promise<void>(done => reset.close(() => done()));
    }
  });
});
