import { createHash, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  boolean,
  directoryString,
  explicit,
  implicitPrimitive,
  namedBits,
  nullValue,
  octetString,
  oid,
  readElement,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
} from './der.js';

/** RFC 5280 KeyUsage bit numbers, by the names Vault's `key_usage` takes. */
export const KEY_USAGE_BITS: Readonly<Record<string, number>> = {
  DigitalSignature: 0,
  ContentCommitment: 1,
  KeyEncipherment: 2,
  DataEncipherment: 3,
  KeyAgreement: 4,
  CertSign: 5,
  CRLSign: 6,
};

const OID = {
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
} as const;

export interface CertificateSpec {
  /** The serial's big-endian bytes (positive). */
  serial: Buffer;
  subjectCommonName: string;
  issuerCommonName: string;
  notBefore: number;
  notAfter: number;
  publicKey: KeyObject;
  /** The issuer's private key (the subject's own for a self-signed root). */
  signingKey: KeyObject;
  /** The issuer's subject key identifier (the subject's own for a root). */
  authorityKeyId: Buffer;
  ca: boolean;
  keyUsage: readonly number[];
  serverAuth?: boolean;
  clientAuth?: boolean;
  dnsNames?: readonly string[];
  ipAddresses?: readonly Buffer[];
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function subjectKeyId(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const outer = readElement(spki, 0).content;
  const algorithm = readElement(outer, 0);
  const keyBits = readElement(outer, algorithm.next).content.subarray(1);
  return createHash('sha1').update(keyBits).digest();
}

/** A signed X.509 v3 certificate, PEM encoded, as Vault's PKI engine issues them. */
export function buildCertificate(spec: CertificateSpec): string {
  const algorithm = signatureAlgorithm(spec.signingKey);
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(spec.serial),
    algorithm.identifier,
    name(spec.issuerCommonName),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subjectCommonName),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions(spec))),
  );
  const signature = sign(algorithm.hash, tbs, spec.signingKey);
  const der = sequence(tbs, algorithm.identifier, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----`;
}

function name(commonName: string): Buffer {
  if (commonName === '') return sequence();
  return sequence(set(sequence(oid(OID.commonName), directoryString(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function extensions(spec: CertificateSpec): Buffer[] {
  const out: Buffer[] = [];
  if (spec.keyUsage.length) out.push(extension(OID.keyUsage, true, namedBits(spec.keyUsage)));
  if (spec.ca) out.push(extension(OID.basicConstraints, true, sequence(boolean(true))));
  const purposes = [
    ...(spec.serverAuth ? [oid(OID.serverAuth)] : []),
    ...(spec.clientAuth ? [oid(OID.clientAuth)] : []),
  ];
  if (purposes.length) out.push(extension(OID.extKeyUsage, false, sequence(...purposes)));
  out.push(extension(OID.subjectKeyId, false, octetString(subjectKeyId(spec.publicKey))));
  out.push(
    extension(OID.authorityKeyId, false, sequence(implicitPrimitive(0, spec.authorityKeyId))),
  );
  const names = [
    ...(spec.dnsNames ?? []).map(d => implicitPrimitive(2, Buffer.from(d, 'ascii'))),
    ...(spec.ipAddresses ?? []).map(ip => implicitPrimitive(7, ip)),
  ];
  if (names.length) out.push(extension(OID.subjectAltName, false, sequence(...names)));
  return out;
}

/** The signature Go's x509 picks for the issuer's key: SHA-256 with RSA, ECDSA by curve, Ed25519. */
function signatureAlgorithm(key: KeyObject): { identifier: Buffer; hash: string | null } {
  if (key.asymmetricKeyType === 'ed25519')
    return { identifier: sequence(oid(OID.ed25519)), hash: null };
  if (key.asymmetricKeyType === 'rsa') {
    return { identifier: sequence(oid(OID.sha256WithRsa), nullValue()), hash: 'sha256' };
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') {
    return { identifier: sequence(oid(OID.ecdsaWithSha384)), hash: 'sha384' };
  }
  if (curve === 'secp521r1') {
    return { identifier: sequence(oid(OID.ecdsaWithSha512)), hash: 'sha512' };
  }
  return { identifier: sequence(oid(OID.ecdsaWithSha256)), hash: 'sha256' };
}
