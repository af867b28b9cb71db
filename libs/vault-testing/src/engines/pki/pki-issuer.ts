import { randomUUID } from 'node:crypto';
import { parseNumber } from '../../auth/auth-params.js';
import type { MountInfo } from '../../state/mount-info.interface.js';
import { SYSTEM_MAX_TTL_SECONDS } from '../../state/token-store.js';
import { goDuration } from '../../util/duration.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { newSerial } from './pki-certificates.js';
import { checkKeyParameters, generatePkiKey, type PkiKeyPair } from './pki-keys.js';
import { fieldDuration } from './pki-role.js';
import { buildCertificate, KEY_USAGE_BITS, subjectKeyId } from './x509-certificate.js';

/** A CA of the mount: its key and self-signed certificate. */
export interface PkiIssuer {
  readonly id: string;
  readonly name: string;
  readonly keyId: string;
  readonly key: PkiKeyPair;
  readonly commonName: string;
  readonly certificate: string;
  readonly serial: string;
  /** ms since the epoch, whole seconds. */
  readonly notAfter: number;
  readonly subjectKeyId: Buffer;
}

export const AIA_WARNING =
  "This mount hasn't configured any authority information access (AIA) fields; this may make it " +
  'harder for systems to find missing certificates in the chain or to validate revocation status ' +
  'of certificates. Consider updating /config/urls or the newly generated issuer with this information.';

/** The TTL Vault allows a certificate on this mount: the asked one capped by `maxTtl`, with a warning. */
export function cappedTtl(asked: number, maxTtl: number, warnings: string[]): number {
  if (asked <= maxTtl) return asked;
  warnings.push(
    `TTL "${goDuration(asked)}" is longer than permitted maxTTL "${goDuration(maxTtl)}", so maxTTL is being used`,
  );
  return maxTtl;
}

/** `root/generate/internal`: a new self-signed root CA (RSA 2048 unless `key_type` says otherwise). */
export async function generateRootIssuer(
  body: SafeRecord,
  mount: MountInfo,
  now: number,
  warnings: string[],
): Promise<PkiIssuer> {
  const keyParams = checkKeyParameters(body.key_type ?? 'rsa', parseNumber(body.key_bits, 0));
  const type = keyParams.type === 'any' ? 'rsa' : keyParams.type;
  const maxTtl = mount.config.max_lease_ttl || SYSTEM_MAX_TTL_SECONDS;
  const ttl = cappedTtl(fieldDuration(body, 'ttl', maxTtl), maxTtl, warnings);
  const notBefore = now - fieldDuration(body, 'not_before_duration', 30) * 1000;
  const notAfter = Math.floor((now + ttl * 1000) / 1000) * 1000;
  const key = await generatePkiKey(type, keyParams.bits || (type === 'rsa' ? 2048 : 256));
  const commonName = typeof body.common_name === 'string' ? body.common_name : '';
  const serial = newSerial();
  const keyId = subjectKeyId(key.publicKey);
  const certificate = buildCertificate({
    serial: serial.bytes,
    subjectCommonName: commonName,
    issuerCommonName: commonName,
    notBefore,
    notAfter,
    publicKey: key.publicKey,
    signingKey: key.privateKey,
    authorityKeyId: keyId,
    ca: true,
    keyUsage: [KEY_USAGE_BITS.CertSign, KEY_USAGE_BITS.CRLSign],
  });
  warnings.push(AIA_WARNING);
  return {
    id: randomUUID(),
    name: typeof body.issuer_name === 'string' ? body.issuer_name : '',
    keyId: randomUUID(),
    key,
    commonName,
    certificate,
    serial: serial.text,
    notAfter,
    subjectKeyId: keyId,
  };
}
