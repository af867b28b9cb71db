/**
 * Sets up Vault's `pki` secrets engine on any target the same way: a mount with a root CA
 * generated inside it (`root/generate/internal`) and a role for leaf certificates.
 */
import { X509Certificate } from 'node:crypto';
import { call } from './contract-helpers.js';
import type { VaultTarget } from './vault-target.js';

export interface PkiEngineOptions {
  readonly mount: string;
  readonly role: string;
  /** Role body (allowed_domains, max_ttl, …). */
  readonly roleBody: Record<string, unknown>;
  /** Default: 24h. */
  readonly caTtl?: string;
  /** Default: ec P-256 (fast on both servers). */
  readonly caKey?: { key_type: string; key_bits?: number };
}

export interface PkiEngineSetup {
  readonly mount: string;
  readonly role: string;
  readonly ca: X509Certificate;
  readonly caPem: string;
  readonly caSerial: string;
}

export async function configurePki(
  target: VaultTarget,
  opts: PkiEngineOptions,
): Promise<PkiEngineSetup> {
  const mounted = await call(target, 'POST', `sys/mounts/${opts.mount}`, {
    body: { type: 'pki', config: { max_lease_ttl: '87600h' } },
  });
  if (mounted.status !== 204) throw new Error(`mount ${opts.mount}: ${mounted.status}`);
  const root = await call(target, 'POST', `${opts.mount}/root/generate/internal`, {
    body: {
      common_name: `${opts.mount} Root CA`,
      ttl: opts.caTtl ?? '24h',
      ...(opts.caKey ?? { key_type: 'ec', key_bits: 256 }),
    },
  });
  if (root.status !== 200) throw new Error(`root CA: ${root.status} ${root.text}`);
  const role = await call(target, 'POST', `${opts.mount}/roles/${opts.role}`, {
    body: opts.roleBody,
  });
  if (role.status !== 200 && role.status !== 204) {
    throw new Error(`role ${opts.role}: ${role.status} ${role.text}`);
  }
  const caPem = root.body.data.certificate as string;
  return {
    mount: opts.mount,
    role: opts.role,
    ca: new X509Certificate(caPem),
    caPem,
    caSerial: root.body.data.serial_number as string,
  };
}

/** `aa:bb:…` (Vault) → `AABB…` (X509Certificate.serialNumber). */
export const serialHex = (vaultSerial: string): string =>
  vaultSerial.replace(/:/g, '').toUpperCase();
