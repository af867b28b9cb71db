import { createHmac } from 'node:crypto';

export type HashFn = (input: string) => string;

/** Vault's "identified HMAC" (`salt.GetIdentifiedHMAC`): `hmac-sha256:<hex>` keyed by the device salt. */
export function identifiedHmac(salt: Buffer, input: string): string {
  return `hmac-sha256:${createHmac('sha256', salt).update(input, 'utf8').digest('hex')}`;
}
