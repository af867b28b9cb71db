/** Helpers for the lifecycle suites (token renewal, refresh, leases) on memory and OpenBao. */
import { expect } from '@jest/globals';
import { vaultRequest, type VaultTarget } from './vault-target.js';

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

type Body = { data?: Record<string, unknown>; errors?: string[] } | null;

/** A root request that must succeed; returns the body. */
export async function rootCall(
  target: VaultTarget,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Body> {
  const res = await vaultRequest(target, method, path, body, headers);
  if (res.status >= 300) {
    throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body as Body;
}

/** A one-hour token carrying one ACL policy `name` with the given HCL (plus `default`). */
export async function tokenWithPolicy(
  target: VaultTarget,
  name: string,
  hcl: string,
): Promise<string> {
  await rootCall(target, 'PUT', `sys/policies/acl/${name}`, { policy: hcl });
  const created = await rootCall(target, 'POST', 'auth/token/create', {
    policies: [name],
    ttl: '1h',
  });
  return (created as unknown as { auth: { client_token: string } }).auth.client_token;
}

export interface AppRoleCredentials {
  roleId: string;
  secretId: string;
  policy: string;
}

/**
 * An AppRole `role` whose tokens carry one policy reading `secret/data/<prefix>/*` (and its
 * metadata), with the given token TTLs. Enables the approle mount when needed.
 */
export async function appRoleFor(
  target: VaultTarget,
  role: string,
  prefix: string,
  ttl: { tokenTtl: string; tokenMaxTtl: string },
): Promise<AppRoleCredentials> {
  const mounts = (await rootCall(target, 'GET', 'sys/auth')) as Record<string, unknown>;
  const data = (mounts.data ?? mounts) as Record<string, unknown>;
  if (!('approle/' in data))
    await rootCall(target, 'POST', 'sys/auth/approle', { type: 'approle' });
  const policy = `${role}-policy`;
  await rootCall(target, 'PUT', `sys/policies/acl/${policy}`, {
    policy:
      `path "secret/data/${prefix}/*" { capabilities = ["read"] }\n` +
      `path "secret/metadata/${prefix}/*" { capabilities = ["read"] }\n`,
  });
  await rootCall(target, 'POST', `auth/approle/role/${role}`, {
    token_policies: [policy],
    token_ttl: ttl.tokenTtl,
    token_max_ttl: ttl.tokenMaxTtl,
  });
  const roleId = (await rootCall(target, 'GET', `auth/approle/role/${role}/role-id`))?.data
    ?.role_id as string;
  const secretId = (await rootCall(target, 'POST', `auth/approle/role/${role}/secret-id`, {}))?.data
    ?.secret_id as string;
  expect(typeof roleId).toBe('string');
  expect(typeof secretId).toBe('string');
  return { roleId, secretId, policy };
}

/** Accessors of the live tokens that carry `policy` (found as root, the way an operator would). */
export async function tokensWithPolicy(target: VaultTarget, policy: string): Promise<string[]> {
  const list = await vaultRequest(target, 'LIST', 'auth/token/accessors');
  const keys = ((list.body as Body)?.data?.keys ?? []) as string[];
  const found: string[] = [];
  for (const accessor of keys) {
    const res = await vaultRequest(target, 'POST', 'auth/token/lookup-accessor', { accessor });
    const policies = ((res.body as Body)?.data?.policies ?? []) as string[];
    if (res.status === 200 && policies.includes(policy)) found.push(accessor);
  }
  return found;
}

/** Revokes every token carrying `policy`, as an operator would after a leak. */
export async function revokeTokensWithPolicy(target: VaultTarget, policy: string): Promise<number> {
  const accessors = await tokensWithPolicy(target, policy);
  for (const accessor of accessors) {
    await rootCall(target, 'POST', 'auth/token/revoke-accessor', { accessor });
  }
  return accessors.length;
}

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}
