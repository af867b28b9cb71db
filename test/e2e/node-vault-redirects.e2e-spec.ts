/**
 * nodeVaultTransport and redirects (issue 21, item 1): node-vault's axios follows redirects and
 * re-sends `X-Vault-Token` and the AppRole body to another origin, and from https to http. The
 * adapter follows none, like the default transport: a loopback "Vault" answers 307 to a second
 * loopback origin that records whatever reaches it; nothing must, and the 307 comes back as a
 * typed error without the token or the secret ID.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import nodeVault from 'node-vault';
import {
  loadVaultSecrets,
  nodeVaultTransport,
  VaultAuthError,
  VaultConfigError,
} from 'nestjs-vault-config';
import { canary } from '../support/canary.js';
import { CapturingLogger } from '../support/module-support.js';
import { TLS_FIXTURES } from '../support/tls-target.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function recording(handler: Handler, received: Received[]): Handler {
  return (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += String(c)));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res);
    });
  };
}

const listen = (server: Server): Promise<string> =>
  new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(String((server.address() as AddressInfo).port))),
  );

describe('nodeVaultTransport follows no redirect', () => {
  const token = canary('nv-token');
  const roleId = canary('nv-role-id');
  const secretId = canary('nv-secret-id');
  const elsewhere: Received[] = [];
  const atVault: Received[] = [];
  let target = '';
  let evil: Server;
  let evilUrl = '';
  let plain: Server;
  let plainUrl = '';
  let secure: Server;
  let secureUrl = '';
  const logger = new CapturingLogger();
  const outputs: string[] = [];

  const redirectTo =
    (base: () => string): Handler =>
    (req, res) => {
      res.writeHead(307, { Location: `${base()}${req.url ?? '/'}` });
      res.end();
    };
  // What the other origin would answer, were it reached: a login and a secret.
  const fakeVault: Handler = (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(
        req.url?.includes('/login')
          ? { auth: { client_token: 'hvs.stolen', lease_duration: 60, renewable: false } }
          : { data: { data: { STOLEN: 'yes' }, metadata: { version: 1 } } },
      ),
    );
  };

  beforeAll(async () => {
    evil = createServer(recording(fakeVault, elsewhere));
    evilUrl = `http://127.0.0.1:${await listen(evil)}`;
    plain = createServer(
      recording(
        redirectTo(() => target),
        atVault,
      ),
    );
    plainUrl = `http://127.0.0.1:${await listen(plain)}`;
    secure = createHttpsServer(
      {
        key: readFileSync(join(TLS_FIXTURES, 'server-key.pem')),
        cert: readFileSync(join(TLS_FIXTURES, 'server.pem')),
      },
      recording(
        redirectTo(() => target),
        atVault,
      ),
    );
    secureUrl = `https://127.0.0.1:${await listen(secure)}`;
  });
  afterEach(() => {
    elsewhere.length = 0;
    atVault.length = 0;
  });
  afterAll(async () => {
    const texts = [...outputs, ...logger.lines];
    for (const text of texts)
      for (const c of [token, roleId, secretId]) expect(text).not.toContain(c);
    await Promise.all([evil, plain, secure].map(s => new Promise(r => s.close(r))));
  });

  const failure = async (promise: Promise<unknown>): Promise<VaultConfigError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultConfigError);
    const e = error as VaultConfigError;
    outputs.push(e.message, String(e.stack), inspect(e, { depth: 10 }), JSON.stringify(e));
    return e;
  };

  it('http: a 307 to another origin reaches it with nothing (a read with the token)', async () => {
    target = evilUrl;
    const client = nodeVault({ endpoint: plainUrl, token });
    const error = await failure(
      loadVaultSecrets(
        {
          transport: nodeVaultTransport(client),
          sources: [{ mount: 'secret', path: 'app', kv: 2 }],
        },
        { logger },
      ),
    );
    expect(error.message).toContain('307');
    expect(atVault).toHaveLength(1);
    expect(atVault[0]?.headers['x-vault-token']).toBe(token);
    expect(elsewhere).toEqual([]);
  });

  it('http: the AppRole login body is not re-posted to another origin', async () => {
    target = evilUrl;
    const client = nodeVault({ endpoint: plainUrl });
    const error = await failure(
      loadVaultSecrets(
        {
          transport: nodeVaultTransport(client),
          auth: { method: 'approle', roleId, secretId },
          sources: [{ mount: 'secret', path: 'app', kv: 2 }],
          retry: { attempts: 1 },
        },
        { logger },
      ),
    );
    expect(error).toBeInstanceOf(VaultAuthError);
    expect(error.message).toContain('307');
    expect(atVault.map(r => r.url)).toEqual(['/v1/auth/approle/login']);
    expect(atVault[0]?.body).toContain(secretId);
    expect(elsewhere).toEqual([]);
  });

  it('https: a 307 to http:// (a downgrade) is not followed, token and body stay unsent', async () => {
    target = evilUrl;
    const client = nodeVault({
      endpoint: secureUrl,
      token,
      requestOptions: { ca: readFileSync(join(TLS_FIXTURES, 'ca.pem'), 'utf8') },
    });
    const error = await failure(
      loadVaultSecrets(
        {
          transport: nodeVaultTransport(client),
          auth: { method: 'approle', roleId, secretId },
          sources: [{ mount: 'secret', path: 'app', kv: 2 }],
          retry: { attempts: 1 },
        },
        { logger },
      ),
    );
    expect(error.message).toContain('307');
    expect(atVault).toHaveLength(1);
    expect(elsewhere).toEqual([]);
  });

  it('https: a 307 to another https origin never reaches that origin', async () => {
    const other = createHttpsServer(
      {
        key: readFileSync(join(TLS_FIXTURES, 'server-key.pem')),
        cert: readFileSync(join(TLS_FIXTURES, 'server.pem')),
      },
      recording(fakeVault, elsewhere),
    );
    target = `https://localhost:${await listen(other)}`;
    try {
      const client = nodeVault({
        endpoint: secureUrl,
        token,
        requestOptions: { ca: readFileSync(join(TLS_FIXTURES, 'ca.pem'), 'utf8') },
      });
      await failure(
        loadVaultSecrets(
          {
            transport: nodeVaultTransport(client),
            sources: [{ mount: 'secret', path: 'app', kv: 2 }],
            retry: { attempts: 1 },
          },
          { logger },
        ),
      );
      expect(elsewhere).toEqual([]);
    } finally {
      await new Promise(r => other.close(r));
    }
  });
});
