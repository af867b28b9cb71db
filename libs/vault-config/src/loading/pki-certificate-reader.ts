import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { VaultClient } from '../client/vault.client.js';
import { statusError } from '../client/vault-response.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { ResolvedPkiSource } from '../options/resolved-vault-config-options.interface.js';
import { isObject } from '../utils/is-object.js';
import { vaultErrorStrings } from '../utils/safe-text.js';
import type { Limiter } from './concurrency-limiter.js';
import type { SourceReadResult } from './source-read-result.interface.js';

/** The keys a PKI source serves (after its prefix). */
export const PKI_KEYS = {
  certificate: 'CERTIFICATE',
  privateKey: 'PRIVATE_KEY',
  issuingCa: 'ISSUING_CA',
  caChain: 'CA_CHAIN',
} as const;

const isPem = (v: unknown): v is string => typeof v === 'string' && v.includes('-----BEGIN');

/**
 * Issues a certificate for a PKI source (`POST <mount>/issue/<role>`) and checks the answer before
 * anything uses it: PEM fields, a certificate node:crypto parses, the private key belongs to it,
 * and it has not expired. Its expiry is the earlier of `expiration` and the certificate's notAfter.
 */
export async function issueCertificate(
  client: VaultClient,
  limit: Limiter,
  source: ResolvedPkiSource,
): Promise<SourceReadResult> {
  const path = `${source.mount}/${source.path}`;
  const body = {
    common_name: source.commonName,
    ...(source.altNames.length ? { alt_names: source.altNames.join(',') } : {}),
    ...(source.ipSans.length ? { ip_sans: source.ipSans.join(',') } : {}),
    ...(source.ttl !== undefined ? { ttl: source.ttl } : {}),
  };
  const res = await limit(() => client.request({ method: 'POST', path, body }));
  if (res.status === 400) {
    throw new VaultResponseError({
      path,
      status: 400,
      reason:
        'Vault refused to issue the certificate (check the role against commonName, altNames, ipSans and ttl)',
      vaultErrors: vaultErrorStrings(res.body),
    });
  }
  if (res.status !== 200) throw statusError(res, path, 'update');
  const data = isObject(res.body) && isObject(res.body.data) ? res.body.data : undefined;
  const bad = (reason: string) => new VaultResponseError({ path, status: 200, reason });
  const chain = data?.ca_chain ?? [data?.issuing_ca];
  if (
    !data ||
    !isPem(data.certificate) ||
    !isPem(data.private_key) ||
    !isPem(data.issuing_ca) ||
    !Array.isArray(chain) ||
    !chain.every(isPem) ||
    typeof data.serial_number !== 'string' ||
    !/^[0-9a-fA-F:-]{1,128}$/.test(data.serial_number) ||
    typeof data.expiration !== 'number' ||
    !Number.isFinite(data.expiration)
  ) {
    throw bad(
      'a PKI answer needs PEM certificate, private_key, issuing_ca and ca_chain, a serial_number and an expiration',
    );
  }
  let certificate: X509Certificate;
  let key: KeyObject;
  try {
    certificate = new X509Certificate(data.certificate);
    key = createPrivateKey(data.private_key);
  } catch {
    // node:crypto's message is dropped: it may quote the key it could not parse.
    throw bad('the certificate or the private key does not parse');
  }
  if (!certificate.checkPrivateKey(key))
    throw bad('the private key does not match the certificate');
  const issuedAt = Date.now();
  const expiresAt = Math.min(data.expiration * 1000, Date.parse(certificate.validTo));
  if (!(expiresAt > issuedAt)) {
    throw bad('the certificate has already expired (are the clocks of Vault and this host apart?)');
  }
  return {
    source,
    found: true,
    data: {
      [PKI_KEYS.certificate]: data.certificate,
      [PKI_KEYS.privateKey]: data.private_key,
      [PKI_KEYS.issuingCa]: data.issuing_ca,
      [PKI_KEYS.caChain]: chain.join('\n'),
    },
    certificate: { serialNumber: data.serial_number, issuedAt, expiresAt },
  };
}
