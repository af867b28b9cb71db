#!/usr/bin/env node
/**
 * Applies a seed document (seed/demo.seed.json format, JSON only) to a real Vault or OpenBao over
 * plain HTTP: file audit device, mounts, secrets, policies, AppRole roles with fixed role-id and
 * custom secret-id, Kubernetes roles (no login config), tokens with fixed ids, namespaces.
 *
 * Env: VAULT_ADDR (default http://127.0.0.1:8200), VAULT_TOKEN (default root), SEED_FILE
 * (required), AUDIT_FILE (optional: enables a file audit device named "file" writing there),
 * VAULT_INIT_WAIT_S (default 60: how long to wait for the server to answer sys/health).
 *
 * Dependency-free ESM for `node:20-alpine`. Idempotent: re-running changes nothing that is already
 * in place. Never prints a secret value, token, role-id or secret-id; exits 1 with a message on failure.
 */
import { readFileSync } from 'node:fs';

const addr = (process.env.VAULT_ADDR || 'http://127.0.0.1:8200').replace(/\/+$/, '');
const rootToken = process.env.VAULT_TOKEN || 'root';
const seedFile = process.env.SEED_FILE;
const auditFile = process.env.AUDIT_FILE;
const waitSeconds = Number(process.env.VAULT_INIT_WAIT_S || 60);

class InitError extends Error {}

const log = line => process.stdout.write(`vault-init: ${line}\n`);

/** One Vault call; `ns` scopes it to a namespace. Errors carry Vault's messages, never the request body. */
async function api(method, path, body, { ns, allow = [] } = {}) {
  const headers = { 'X-Vault-Token': rootToken };
  if (ns) headers['X-Vault-Namespace'] = ns;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${addr}/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: errors below fall back to the status
  }
  if (res.status >= 400 && !allow.includes(res.status)) {
    const errors = Array.isArray(json?.errors) ? json.errors.join('; ') : `HTTP ${res.status}`;
    throw new InitError(`${method} ${ns ? `${ns}/` : ''}${path} failed (${res.status}): ${errors}`);
  }
  return { status: res.status, body: json };
}

async function waitForVault() {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${addr}/v1/sys/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      if (res.status === 503) throw new InitError(`${addr} is sealed`);
    } catch (err) {
      if (err instanceof InitError) throw err;
    }
    if (Date.now() > deadline)
      throw new InitError(`${addr} did not answer sys/health within ${waitSeconds}s`);
    await new Promise(r => setTimeout(r, Math.min(250 * attempt, 2000)));
  }
}

function readSeed() {
  if (!seedFile) throw new InitError('SEED_FILE is not set');
  let seed;
  try {
    seed = JSON.parse(readFileSync(seedFile, 'utf8'));
  } catch (err) {
    throw new InitError(
      `cannot read seed ${seedFile}: ${err instanceof SyntaxError ? 'invalid JSON' : err.code}`,
    );
  }
  if (!seed || typeof seed !== 'object' || Array.isArray(seed))
    throw new InitError('seed must be a JSON object');
  return seed;
}

const entries = value => (value && typeof value === 'object' ? Object.entries(value) : []);

function sameJson(a, b) {
  const canon = v =>
    v && typeof v === 'object'
      ? Array.isArray(v)
        ? v.map(canon)
        : Object.fromEntries(
            Object.keys(v)
              .sort()
              .map(k => [k, canon(v[k])]),
          )
      : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

async function enableAudit() {
  if (!auditFile) return;
  const list = await api('GET', 'sys/audit');
  if (list.body?.data?.['file/']) {
    log(`audit device file/ already enabled`);
    return;
  }
  await api('PUT', 'sys/audit/file', { type: 'file', options: { file_path: auditFile } });
  log(`audit device file/ enabled, writing ${auditFile}`);
}

/** Mounts the seed asks for; answers path → KV version for every KV mount (seeded or existing). */
async function applyMounts(mounts, ns) {
  const existing = (await api('GET', 'sys/mounts', undefined, { ns })).body?.data ?? {};
  const kvVersions = new Map();
  for (const [path, m] of entries(existing)) {
    if (m?.type === 'kv') kvVersions.set(path.replace(/\/$/, ''), Number(m.options?.version ?? 1));
  }
  for (const [name, spec] of entries(mounts)) {
    const type = spec?.type ?? 'kv';
    const version = type === 'kv' ? Number(spec?.version ?? 2) : undefined;
    const current = existing[`${name}/`];
    if (current) {
      const currentVersion =
        current.type === 'kv' ? Number(current.options?.version ?? 1) : undefined;
      if (current.type !== type || currentVersion !== version) {
        throw new InitError(
          `mount ${name}/ exists as ${current.type}${currentVersion ? ` v${currentVersion}` : ''}, seed wants ${type}${version ? ` v${version}` : ''}`,
        );
      }
      log(`mount ${name}/ (${type}${version ? ` v${version}` : ''}) already exists`);
      continue;
    }
    const body = { type, ...(version ? { options: { version: String(version) } } : {}) };
    await api('POST', `sys/mounts/${name}`, body, { ns });
    if (version) kvVersions.set(name, version);
    log(`mount ${name}/ (${type}${version ? ` v${version}` : ''}) enabled`);
  }
  return kvVersions;
}

async function applySecrets(secrets, kvVersions, ns) {
  for (const [fullPath, value] of entries(secrets)) {
    const mount = [...kvVersions.keys()]
      .filter(m => fullPath.startsWith(`${m}/`))
      .sort((a, b) => b.length - a.length)[0];
    if (!mount) throw new InitError(`secret ${fullPath}: no KV mount matches its path`);
    const path = fullPath.slice(mount.length + 1);
    const versions = Array.isArray(value) ? value : [value];
    const keys = Object.keys(versions.at(-1) ?? {}).length;
    if (kvVersions.get(mount) === 2) {
      const current = await api('GET', `${mount}/data/${path}`, undefined, { ns, allow: [404] });
      if (current.status === 200 && sameJson(current.body?.data?.data, versions.at(-1))) {
        log(`secret ${fullPath} (kv v2, ${keys} keys) already up to date`);
        continue;
      }
      for (const data of versions) await api('POST', `${mount}/data/${path}`, { data }, { ns });
      log(`secret ${fullPath} (kv v2, ${keys} keys) written as ${versions.length} version(s)`);
    } else {
      const current = await api('GET', `${mount}/${path}`, undefined, { ns, allow: [404] });
      if (current.status === 200 && sameJson(current.body?.data, versions.at(-1))) {
        log(`secret ${fullPath} (kv v1, ${keys} keys) already up to date`);
        continue;
      }
      await api('PUT', `${mount}/${path}`, versions.at(-1), { ns });
      log(`secret ${fullPath} (kv v1, ${keys} keys) written`);
    }
  }
}

async function applyPolicies(policies, ns) {
  for (const [name, policy] of entries(policies)) {
    const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
    await api('PUT', `sys/policies/acl/${name}`, { policy: text }, { ns });
    log(`policy ${name} written`);
  }
}

async function enableAuthMount(type, ns) {
  const auths = (await api('GET', 'sys/auth', undefined, { ns })).body?.data ?? {};
  if (auths[`${type}/`]) return false;
  await api('POST', `sys/auth/${type}`, { type }, { ns });
  return true;
}

async function applyAppRoles(roles, ns) {
  if (entries(roles).length === 0) return;
  log(`auth approle/ ${(await enableAuthMount('approle', ns)) ? 'enabled' : 'already enabled'}`);
  for (const [name, spec] of entries(roles)) {
    const { role_id: roleId, secret_id: secretId, ...settings } = spec ?? {};
    await api('POST', `auth/approle/role/${name}`, settings, { ns });
    const notes = [];
    if (roleId) {
      await api('POST', `auth/approle/role/${name}/role-id`, { role_id: roleId }, { ns });
      notes.push('fixed role-id');
    }
    if (secretId) {
      const lookup = await api(
        'POST',
        `auth/approle/role/${name}/secret-id/lookup`,
        { secret_id: secretId },
        { ns },
      );
      if (lookup.status === 200 && lookup.body?.data)
        notes.push('custom secret-id already present');
      else {
        await api(
          'POST',
          `auth/approle/role/${name}/custom-secret-id`,
          { secret_id: secretId },
          { ns },
        );
        notes.push('custom secret-id created');
      }
    }
    log(`approle role ${name} written${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
}

async function applyKubernetesRoles(roles, ns) {
  if (entries(roles).length === 0) return;
  try {
    log(
      `auth kubernetes/ ${(await enableAuthMount('kubernetes', ns)) ? 'enabled' : 'already enabled'}`,
    );
  } catch (err) {
    log(`kubernetes auth skipped: ${err.message}`);
    return;
  }
  log('kubernetes login config skipped (needs a real cluster: kubernetes_host, CA, reviewer JWT)');
  for (const [name, spec] of entries(roles)) {
    try {
      await api('POST', `auth/kubernetes/role/${name}`, spec, { ns });
      log(`kubernetes role ${name} written`);
    } catch (err) {
      log(`kubernetes role ${name} skipped: ${err.message}`);
    }
  }
}

async function applyTokens(tokens, ns) {
  for (const [index, spec] of (Array.isArray(tokens) ? tokens : []).entries()) {
    const { id, ...rest } = spec ?? {};
    const label = `token #${index + 1} (policies: ${(rest.policies ?? []).join(', ') || 'default'})`;
    if (!id) throw new InitError(`${label}: a seeded token needs a fixed "id"`);
    const lookup = await api(
      'POST',
      'auth/token/lookup',
      { token: id },
      { ns, allow: [400, 403, 404] },
    );
    if (lookup.status === 200) {
      log(`${label} already exists`);
      continue;
    }
    // Orphan, so the seeded token outlives any parent; the fixed id is what the demo is told to use.
    await api('POST', 'auth/token/create-orphan', { id, ...rest }, { ns });
    log(`${label} created with its fixed id`);
  }
}

async function applyScope(seed, ns) {
  const kvVersions = await applyMounts(seed.mounts, ns);
  await applyPolicies(seed.policies, ns);
  await applySecrets(seed.secrets, kvVersions, ns);
  await applyAppRoles(seed.auth?.approle?.roles, ns);
  await applyKubernetesRoles(seed.auth?.kubernetes?.roles, ns);
  await applyTokens(seed.tokens, ns);
}

async function main() {
  const seed = readSeed();
  log(`waiting for ${addr}`);
  await waitForVault();
  await enableAudit();
  await applyScope(seed, undefined);
  for (const [ns, nsSeed] of entries(seed.namespaces)) {
    await api('POST', `sys/namespaces/${ns}`, {});
    log(`namespace ${ns}/ ready`);
    await applyScope(nsSeed ?? {}, ns);
  }
  log('done');
}

main().catch(err => {
  const message =
    err instanceof InitError ? err.message : `unexpected error: ${err?.message ?? err}`;
  process.stderr.write(`vault-init: failed: ${message}\n`);
  process.exit(1);
});
