/**
 * Stand-ins for the OIDC issuers the production guide configures (GitHub Actions, GitLab), so its
 * `vault write auth/jwt/config oidc_discovery_url=...` commands run as printed on a machine without
 * internet: an HTTPS proxy that answers CONNECTs to token.actions.githubusercontent.com and
 * gitlab.com itself, with a certificate from a CA made here, serving each issuer's discovery
 * document and JWKS (a key made here) at the paths the real issuers use. The Vault dev server is
 * started with HTTPS_PROXY pointing here and SSL_CERT_FILE trusting that CA.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createSecureContext, TLSSocket } from 'node:tls';

const ISSUERS = {
  'token.actions.githubusercontent.com': { jwks: '/.well-known/jwks' },
  'gitlab.com': { jwks: '/oauth/discovery/keys' },
};

/** Starts the stand-in; `dir` receives its CA (`oidc-ca.pem`). */
export async function startOidcStandIn(dir) {
  const run = args => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'oidc-ca.key',
    '-out',
    'oidc-ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=OIDC stand-in CA',
  ]);
  writeFileSync(
    join(dir, 'oidc.ext'),
    `subjectAltName=${Object.keys(ISSUERS)
      .map(h => `DNS:${h}`)
      .join(',')}\n`,
  );
  run([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'oidc.key',
    '-out',
    'oidc.csr',
    '-subj',
    '/CN=OIDC stand-in',
  ]);
  run([
    'x509',
    '-req',
    '-in',
    'oidc.csr',
    '-CA',
    'oidc-ca.pem',
    '-CAkey',
    'oidc-ca.key',
    '-CAcreateserial',
    '-out',
    'oidc.pem',
    '-days',
    '1',
    '-extfile',
    'oidc.ext',
  ]);
  const secureContext = createSecureContext({
    key: readFileSync(join(dir, 'oidc.key')),
    cert: readFileSync(join(dir, 'oidc.pem')),
  });
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'stand-in', alg: 'RS256', use: 'sig' };

  const issuerSite = createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:443$/, '');
    const issuer = ISSUERS[host];
    const json = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!issuer) return json(404, {});
    if (req.url === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: `https://${host}`,
        jwks_uri: `https://${host}${issuer.jwks}`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public', 'pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository'],
      });
    }
    if (req.url === issuer.jwks) return json(200, { keys: [jwk] });
    return json(404, {});
  });
  const sockets = new Set();
  const proxy = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.on('connect', (req, socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const [host] = (req.url ?? '').split(':');
    if (!(host in ISSUERS)) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const tls = new TLSSocket(socket, { isServer: true, secureContext });
    tls.on('error', () => socket.destroy());
    issuerSite.emit('connection', tls);
  });
  const port = await new Promise(resolve =>
    proxy.listen(0, '127.0.0.1', () => resolve(proxy.address().port)),
  );
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    caFile: join(dir, 'oidc-ca.pem'),
    stop: () =>
      new Promise(resolve => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
