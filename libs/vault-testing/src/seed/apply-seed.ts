import type { SeedDocument, SeedNamespace } from '../interfaces/seed-document.interface.js';
import { KvV1Engine } from '../engines/kv/kv-v1.engine.js';
import { KvV2Engine } from '../engines/kv/kv-v2.engine.js';
import { normalisePolicies } from '../auth/token-auth.backend.js';
import type { Namespace } from '../state/namespace.js';
import type { VaultCore } from '../state/vault-core.js';
import { parseDurationSeconds } from '../util/duration.js';
import { isPlainObject, toSafe, type SafeRecord } from '../util/safe-object.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import { seedAuth } from './seed-auth.js';

/** Loads a seed document into the server, as the equivalent Vault API calls would. */
export function applySeed(core: VaultCore, seed: SeedDocument): void {
  if (!isPlainObject(seed)) throw new Error('seed must be an object');
  try {
    applyNamespace(core, core.root, seed);
  } catch (err) {
    if (err instanceof VaultHttpError) {
      throw new Error(`invalid seed: ${err.errors.join('; ')}`, { cause: err });
    }
    throw err;
  }
}

function applyNamespace(core: VaultCore, ns: Namespace, seed: SeedNamespace): void {
  for (const [path, mount] of Object.entries(seed.mounts ?? {})) {
    const key = `${path.replace(/^\/+|\/+$/g, '')}/`;
    const version = mount.version !== undefined ? String(mount.version) : mount.options?.version;
    const existing = ns.mounts.get(key);
    if (existing) {
      const existingVersion = existing.options?.version ?? '1';
      if (existing.type === mount.type && (version ?? '1') === existingVersion) continue;
      if (existing.type === 'kv' && mount.type === 'kv' && version === existingVersion) continue;
      throw new Error(`seed mount ${key} conflicts with the existing ${existing.type} mount`);
    }
    core.enableMount(ns, key, {
      type: mount.type,
      description: mount.description,
      options: version !== undefined ? { ...(mount.options ?? {}), version } : mount.options,
    });
  }
  for (const [name, policy] of Object.entries(seed.policies ?? {}))
    core.setPolicy(ns, name, policy);
  for (const [fullPath, value] of Object.entries(seed.secrets ?? {})) {
    const mount = ns.findMount(fullPath);
    if (!mount) throw new Error(`seed secret ${fullPath}: no mount for it`);
    const rel = fullPath.slice(mount.path.length).replace(/^\/+/, '');
    const versions = Array.isArray(value) ? value : [value];
    for (const version of versions) {
      if (!isPlainObject(version)) throw new Error(`seed secret ${fullPath} must be an object`);
      const data = toSafe(version) as SafeRecord;
      if (mount.engine instanceof KvV2Engine) mount.engine.addVersion(rel, data);
      else if (mount.engine instanceof KvV1Engine) mount.engine.write(rel, data);
      else throw new Error(`seed secret ${fullPath}: mount ${mount.path} is not KV`);
    }
  }
  if (seed.auth) seedAuth(core, ns, seed.auth);
  for (const token of seed.tokens ?? []) {
    if (token.id !== undefined && core.tokens.has(token.id)) continue;
    core.tokens.create({
      id: token.id,
      policies: normalisePolicies(token.policies ?? ['default'], token.no_default_policy === true),
      namespace: ns.path,
      noParent: true,
      ttl: parseDurationSeconds(token.ttl, 0),
      explicitMaxTtl: parseDurationSeconds(token.explicit_max_ttl, 0),
      period: parseDurationSeconds(token.period, 0),
      renewable: token.renewable ?? true,
      numUses: token.num_uses ?? 0,
      meta: token.meta ?? null,
      displayName: token.display_name ? `token-${token.display_name}` : 'token',
    });
  }
  for (const [name, child] of Object.entries(seed.namespaces ?? {})) {
    const parts = name.split('/').filter(Boolean);
    let target = ns;
    for (const part of parts) target = core.createNamespace(target, part);
    applyNamespace(core, target, child ?? {});
  }
}
