/**
 * The few ASN.1 DER encodings an X.509 certificate needs (X.690 §8, §10, §11). node:crypto signs
 * and parses certificates but cannot build one, and a dependency for ≈ 100 lines is not worth it.
 */

const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(TAG.sequence, Buffer.concat(items));

/** A SET OF: DER sorts the encoded elements. */
export const set = (...items: Buffer[]): Buffer =>
  tlv(TAG.set, Buffer.concat([...items].sort((a, b) => Buffer.compare(a, b))));

export const boolean = (value: boolean): Buffer =>
  tlv(TAG.boolean, Buffer.from([value ? 0xff : 0]));

export const nullValue = (): Buffer => tlv(TAG.null, Buffer.alloc(0));

export const octetString = (content: Buffer): Buffer => tlv(TAG.octetString, content);

/** A non-negative INTEGER from its big-endian magnitude (a leading 0 keeps it positive). */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const content = trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(TAG.integer, content);
}

export const smallInteger = (n: number): Buffer => unsignedInteger(Buffer.from([n]));

export function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) {
      chunk.unshift((v & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

/** A BIT STRING of whole bytes (keys, signatures). */
export const bitString = (content: Buffer): Buffer =>
  tlv(TAG.bitString, Buffer.concat([Buffer.from([0]), content]));

/** A named-bit BIT STRING (KeyUsage): bit 0 is the most significant; trailing zeros dropped. */
export function namedBits(bits: readonly number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)] |= 0x80 >> (bit % 8);
  const unused = 7 - (highest % 8);
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([unused]), bytes]));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** Go's choice for a string in a Name: PrintableString when it can, else UTF8String. */
export const directoryString = (text: string): Buffer =>
  tlv(PRINTABLE.test(text) ? TAG.printableString : TAG.utf8String, Buffer.from(text, 'utf8'));

/** X.509 Time: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(ms: number): Buffer {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString(); // 2026-12-01T10:00:00.000Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = Number(iso.slice(0, 4));
  return year >= 1950 && year < 2050
    ? tlv(TAG.utcTime, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : tlv(TAG.generalizedTime, Buffer.from(`${digits}Z`, 'ascii'));
}

/** `[n] EXPLICIT` around an encoded value. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);

/** `[n] IMPLICIT` primitive (GeneralName's dNSName, iPAddress; AuthorityKeyIdentifier's keyId). */
export const implicitPrimitive = (n: number, content: Buffer): Buffer => tlv(0x80 | n, content);

/** The content of the element starting at `offset`, and where the next one starts. */
export function readElement(der: Buffer, offset: number): { content: Buffer; next: number } {
  let pos = offset + 1;
  let len = der[pos++];
  if (len & 0x80) {
    const count = len & 0x7f;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + der[pos++];
  }
  return { content: der.subarray(pos, pos + len), next: pos + len };
}
