// Sets up least privilege on a fresh Vault/OpenBao over plain HTTP as root: KV v2 secret, a transit
// key, a policy that reads only secret/data/pack/* and may only encrypt and decrypt with that key,
// and two ways to log in with it: JWT auth (a key pair made
// here, its public key in jwt_validation_pubkeys, a role bound to an audience and a claim; a JWT
// signed here written to <jwt file>) and an AppRole. Prints `ROLE_ID SECRET_ID`.
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [addr, rootToken, secret, jwtFile] = process.argv.slice(2);
async function call(method, path, body) {
  const res = await globalThis.fetch(`${addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': rootToken, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}`);
  return text ? JSON.parse(text) : undefined;
}
await call('POST', 'sys/mounts/transit', { type: 'transit' });
await call('POST', 'transit/keys/pack', {});
await call('PUT', 'sys/policies/acl/pack-read', {
  policy:
    'path "secret/data/pack/*" {\n  capabilities = ["read"]\n}\n' +
    'path "transit/encrypt/pack" {\n  capabilities = ["update"]\n}\n' +
    'path "transit/decrypt/pack" {\n  capabilities = ["update"]\n}\n',
});
await call('POST', 'secret/data/pack/app', { data: { PACK_SECRET: secret } });

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
await call('POST', 'sys/auth/jwt', { type: 'jwt' });
await call('POST', 'auth/jwt/config', {
  jwt_validation_pubkeys: [publicKey.export({ type: 'spki', format: 'pem' })],
  bound_issuer: 'https://ci.pack.test',
});
await call('POST', 'auth/jwt/role/pack', {
  role_type: 'jwt',
  user_claim: 'sub',
  bound_audiences: ['pack-test'],
  bound_claims: { pipeline: 'pack' },
  token_policies: ['pack-read'],
  token_ttl: '1h',
});
const b64 = value => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({
  iss: 'https://ci.pack.test',
  sub: 'pack-app',
  aud: 'pack-test',
  pipeline: 'pack',
  iat: now,
  exp: now + 3600,
})}`;
const jwt = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
writeFileSync(jwtFile, `${jwt}\n`, { mode: 0o600 });

await call('POST', 'sys/auth/approle', { type: 'approle' });
await call('POST', 'auth/approle/role/pack', { token_policies: ['pack-read'], token_ttl: '1h' });
const roleId = (await call('GET', 'auth/approle/role/pack/role-id')).data.role_id;
const secretId = (await call('POST', 'auth/approle/role/pack/secret-id', {})).data.secret_id;
console.log(`${roleId} ${secretId}`);
