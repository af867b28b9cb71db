/** Small HTTP helpers shared by the contract and e2e suites (test/contract, test/e2e). */
import { describe, it } from '@jest/globals';
import { selectedTargets, type TargetKind, type VaultTarget } from './vault-target.js';

/**
 * Bodies from the server under test are navigated freely and then asserted on; a loose type keeps
 * the assertions readable. Nothing here is trusted: every value is checked by an `expect`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface CallOptions {
  /** Token to send; `null` sends no token at all. Default: the target's root token. */
  readonly token?: string | null;
  /** JSON-encoded unless `raw` is set. */
  readonly body?: unknown;
  /** Sent as is (malformed JSON, merge patches). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

export interface CallResult {
  readonly status: number;
  readonly body: Loose;
  readonly text: string;
  readonly headers: Headers;
}

export async function call(
  target: Pick<VaultTarget, 'url' | 'rootToken'>,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const token = options.token === undefined ? target.rootToken : options.token;
  const headers: Record<string, string> = { ...(token === null ? {} : { 'X-Vault-Token': token }) };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${target.url}/v1/${path.replace(/^\/+/, '')}`, {
    method,
    headers: { ...headers, ...options.headers },
    body,
  });
  const text = await res.text();
  let parsed: Loose = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

let counter = 0;
/** A name no other test uses (paths, mounts, policies, roles). */
export function uniq(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid.toString(36)}${Date.now().toString(36)}-${counter}`;
}

/** Vault's exact body for a request its policies deny. */
export const PERMISSION_DENIED_BODY = { errors: ['1 error occurred:\n\t* permission denied\n\n'] };

/** Keys every success envelope carries (mount_type is asserted separately: Vault-only). */
export const ENVELOPE_KEYS = [
  'request_id',
  'lease_id',
  'renewable',
  'lease_duration',
  'data',
  'wrap_info',
  'warnings',
  'auth',
] as const;

export async function putPolicy(target: VaultTarget, name: string, policy: string): Promise<void> {
  const res = await call(target, 'PUT', `sys/policies/acl/${name}`, { body: { policy } });
  if (res.status !== 204) throw new Error(`policy ${name}: ${res.status} ${res.text}`);
}

export async function createToken(
  target: VaultTarget,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await call(target, 'POST', 'auth/token/create', { body });
  if (res.status !== 200) throw new Error(`token create: ${res.status} ${res.text}`);
  return res.body.auth.client_token as string;
}

export async function mountKv(target: VaultTarget, path: string, version: 1 | 2): Promise<void> {
  const res = await call(target, 'POST', `sys/mounts/${path}`, {
    body: { type: 'kv', options: { version: String(version) } },
  });
  if (res.status !== 204) throw new Error(`mount ${path}: ${res.status} ${res.text}`);
}

export async function enableAuth(target: VaultTarget, path: string, type: string): Promise<void> {
  const res = await call(target, 'POST', `sys/auth/${path}`, { body: { type } });
  if (res.status !== 204) throw new Error(`auth ${path}: ${res.status} ${res.text}`);
}

export async function kv2Write(
  target: VaultTarget,
  mount: string,
  path: string,
  data: Record<string, unknown>,
): Promise<CallResult> {
  const res = await call(target, 'POST', `${mount}/data/${path}`, { body: { data } });
  if (res.status !== 200) throw new Error(`kv2 write ${path}: ${res.status} ${res.text}`);
  return res;
}

/** Writes `secret/<path>` (KV v2 at the default mount) as root. */
export async function writeKv2(
  target: VaultTarget,
  path: string,
  data: Record<string, unknown>,
): Promise<void> {
  await kv2Write(target, 'secret', path, data);
}

/** RFC 3339 timestamp as Vault writes them (created_time, deletion_time). */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * `describe.each(selectedTargets())` with the empty case handled (Jest rejects an empty table):
 * one block per selected target, optionally limited to some kinds.
 */
export function describeTargets(
  title: string,
  body: (kind: TargetKind) => void,
  only?: readonly TargetKind[],
): void {
  const kinds = selectedTargets().filter(kind => !only || only.includes(kind));
  if (kinds.length === 0) {
    describe.skip(title, () => it.skip('no selected target applies', () => undefined));
    return;
  }
  describe.each(kinds)(`${title} [%s]`, body);
}
