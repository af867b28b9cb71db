// Sets up least privilege on a fresh Vault/OpenBao over plain HTTP as root: KV v2 secret, a transit
// key, a policy that reads only secret/data/pack/* and may only encrypt and decrypt with that key,
// an AppRole with that policy. Prints `ROLE_ID SECRET_ID`.
const [addr, rootToken, secret] = process.argv.slice(2);
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
await call('POST', 'sys/auth/approle', { type: 'approle' });
await call('POST', 'sys/mounts/transit', { type: 'transit' });
await call('POST', 'transit/keys/pack', {});
await call('PUT', 'sys/policies/acl/pack-read', {
  policy:
    'path "secret/data/pack/*" {\n  capabilities = ["read"]\n}\n' +
    'path "transit/encrypt/pack" {\n  capabilities = ["update"]\n}\n' +
    'path "transit/decrypt/pack" {\n  capabilities = ["update"]\n}\n',
});
await call('POST', 'auth/approle/role/pack', { token_policies: ['pack-read'], token_ttl: '1h' });
await call('POST', 'secret/data/pack/app', { data: { PACK_SECRET: secret } });
const roleId = (await call('GET', 'auth/approle/role/pack/role-id')).data.role_id;
const secretId = (await call('POST', 'auth/approle/role/pack/secret-id', {})).data.secret_id;
console.log(`${roleId} ${secretId}`);
