/** Helpers of the transit suites (contract and e2e): mounts, keys, base64 as Vault expects it. */
import { expect } from '@jest/globals';
import { call, uniq, type CallResult } from './contract-helpers.js';
import type { VaultTarget } from './vault-target.js';

export const b64 = (text: string | Buffer): string =>
  (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');

/** The bytes after `vault:v<N>:`. */
export const body = (value: string): Buffer => Buffer.from(value.split(':')[2] ?? '', 'base64');

/** Flips one bit inside the base64 body of a `vault:v<N>:` value (still valid base64). */
export function tamper(value: string, at = 20): string {
  const [prefix, version, encoded] = value.split(':') as [string, string, string];
  const bytes = Buffer.from(encoded, 'base64');
  const i = Math.min(at, bytes.length - 1);
  bytes[i] = bytes[i] ^ 0x01;
  return `${prefix}:${version}:${bytes.toString('base64')}`;
}

/** Key info fields HashiCorp Vault documents for `GET transit/keys/<name>`. */
export const KEY_INFO_FIELDS = [
  'allow_plaintext_backup',
  'auto_rotate_period',
  'deletion_allowed',
  'derived',
  'exportable',
  'imported_key',
  'keys',
  'latest_version',
  'min_available_version',
  'min_decryption_version',
  'min_encryption_version',
  'name',
  'supports_decryption',
  'supports_derivation',
  'supports_encryption',
  'supports_signing',
  'type',
];
/** What OpenBao adds (its soft-delete of keys); not in Vault. */
const OPENBAO_ONLY_FIELDS = ['soft_deleted'];

/** The documented fields are there, and nothing beyond what OpenBao is known to add. */
export function expectKeyInfoShape(data: Record<string, unknown>, derived = false): void {
  const expected = [...KEY_INFO_FIELDS, ...(derived ? ['convergent_encryption', 'kdf'] : [])];
  expect(Object.keys(data)).toEqual(expect.arrayContaining(expected));
  const extra = Object.keys(data).filter(k => !expected.includes(k));
  expect(extra.filter(k => !OPENBAO_ONLY_FIELDS.includes(k))).toEqual([]);
}

/** Mounts a transit engine at a fresh path and answers it. */
export async function mountTransit(t: VaultTarget, prefix = 'transit'): Promise<string> {
  const mount = uniq(prefix);
  const res = await call(t, 'POST', `sys/mounts/${mount}`, { body: { type: 'transit' } });
  if (res.status !== 204) throw new Error(`mount ${mount}: ${res.status} ${res.text}`);
  return mount;
}

export async function createKey(
  t: VaultTarget,
  mount: string,
  name: string,
  body: Record<string, unknown> = {},
): Promise<CallResult> {
  const res = await call(t, 'POST', `${mount}/keys/${name}`, { body });
  if (res.status !== 200) throw new Error(`key ${name}: ${res.status} ${res.text}`);
  return res;
}

export async function encryptText(
  t: VaultTarget,
  mount: string,
  key: string,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await call(t, 'POST', `${mount}/encrypt/${key}`, {
    body: { plaintext: b64(text), ...extra },
  });
  if (res.status !== 200) throw new Error(`encrypt: ${res.status} ${res.text}`);
  return res.body.data.ciphertext as string;
}
