import type { X509Certificate } from 'node:crypto';

/** The identity fields Vault's cert method puts in a login's metadata. */
export function certificateMetadata(cert: X509Certificate, certName: string) {
  const der = cert.raw;
  return {
    authority_key_id: hexColons(authorityKeyId(der)),
    cert_name: certName,
    common_name: commonName(cert),
    serial_number: BigInt(`0x${cert.serialNumber}`).toString(10),
    subject_key_id: hexColons(extensionValue(der, SUBJECT_KEY_ID_OID, 0x04)),
  };
}

export function commonName(cert: X509Certificate): string {
  const line = cert.subject.split('\n').find(l => l.startsWith('CN='));
  return line ? line.slice(3) : '';
}

// Extension OIDs as DER: 2.5.29.14 (subject key id), 2.5.29.35 (authority key id).
const SUBJECT_KEY_ID_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0e]);
const AUTHORITY_KEY_ID_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x23]);

/** `aa:bb:cc`, as Vault's certutil.GetHexFormatted writes key ids. */
function hexColons(bytes: Buffer | undefined): string {
  return bytes ? [...bytes].map(b => b.toString(16).padStart(2, '0')).join(':') : '';
}

/** One DER element at `at`: its tag, where its content starts and ends. */
function element(der: Buffer, at: number): { tag: number; start: number; end: number } | undefined {
  if (at + 2 > der.length) return undefined;
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 3 || start + bytes > der.length) return undefined;
    length = der.subarray(start, start + bytes).reduce((n, b) => n * 256 + b, 0);
    start += bytes;
  }
  const end = start + length;
  return end <= der.length ? { tag, start, end } : undefined;
}

/**
 * The content of an extension's value (the OCTET STRING after the OID, and an optional critical
 * flag), unwrapped once more when it holds an element of `innerTag`.
 */
function extensionValue(der: Buffer, oid: Buffer, innerTag: number): Buffer | undefined {
  const at = der.indexOf(oid);
  if (at < 0) return undefined;
  let next = element(der, at + oid.length);
  if (next?.tag === 0x01) next = element(der, next.end); // critical BOOLEAN
  if (!next || next.tag !== 0x04) return undefined;
  const inner = element(der, next.start);
  return inner && inner.tag === innerTag ? der.subarray(inner.start, inner.end) : undefined;
}

/** AuthorityKeyIdentifier ::= SEQUENCE { [0] keyIdentifier OPTIONAL, ... } */
function authorityKeyId(der: Buffer): Buffer | undefined {
  const sequence = extensionValue(der, AUTHORITY_KEY_ID_OID, 0x30);
  if (!sequence) return undefined;
  const first = element(sequence, 0);
  return first && first.tag === 0x80 ? sequence.subarray(first.start, first.end) : undefined;
}
