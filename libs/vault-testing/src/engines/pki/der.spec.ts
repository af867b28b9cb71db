import { describe, expect, it } from '@jest/globals';
import { namedBits, oid, readElement, sequence, set, time, tlv, unsignedInteger } from './der.js';
import { ipAddressBytes } from './ip-address.js';

const hex = (b: Buffer) => b.toString('hex');

describe('DER encoding (X.690) of the parts a certificate needs', () => {
  it('writes short, one-byte and two-byte long lengths', () => {
    expect(hex(tlv(0x04, Buffer.alloc(3)))).toBe('0403000000');
    expect(hex(tlv(0x04, Buffer.alloc(200)).subarray(0, 3))).toBe('0481c8');
    expect(hex(tlv(0x04, Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
    const long = tlv(0x04, Buffer.alloc(70_000, 7));
    expect(readElement(long, 0).content).toEqual(Buffer.alloc(70_000, 7));
  });

  it('keeps INTEGERs positive and minimal', () => {
    expect(hex(unsignedInteger(Buffer.from([0x80])))).toBe('02020080');
    expect(hex(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f])))).toBe('02017f');
    expect(hex(unsignedInteger(Buffer.from([0x00])))).toBe('020100');
  });

  it('encodes OIDs with multi-byte arcs', () => {
    expect(hex(oid('2.5.29.17'))).toBe('0603551d11');
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
  });

  it('encodes KeyUsage bits with the unused-bit count of the last byte', () => {
    expect(hex(namedBits([0, 2, 4]))).toBe('030203a8'); // digitalSignature, keyEncipherment, keyAgreement
    expect(hex(namedBits([5, 6]))).toBe('03020106'); // keyCertSign, cRLSign
    expect(hex(namedBits([8]))).toBe('0303070080'); // decipherOnly needs a second byte
  });

  it('sorts SET OF elements and picks UTCTime before 2050, GeneralizedTime after', () => {
    expect(hex(set(Buffer.from('0402bbbb', 'hex'), Buffer.from('0401aa', 'hex')))).toBe(
      '31070401aa0402bbbb',
    );
    expect(time(Date.UTC(2026, 11, 1, 10, 20, 30, 999)).toString('latin1')).toBe(
      '\x17\x0d261201102030Z',
    );
    expect(time(Date.UTC(2050, 0, 1)).toString('latin1')).toBe('\x18\x0f20500101000000Z');
    expect(hex(sequence())).toBe('3000');
  });

  it('turns IPv4 and IPv6 text into the bytes of an iPAddress SAN', () => {
    expect(hex(ipAddressBytes('10.0.0.1')!)).toBe('0a000001');
    expect(hex(ipAddressBytes('::1')!)).toBe('00000000000000000000000000000001');
    expect(hex(ipAddressBytes('fe80::1:2')!)).toBe('fe800000000000000000000000010002');
    expect(hex(ipAddressBytes('2001:db8::')!)).toBe('20010db8000000000000000000000000');
    expect(hex(ipAddressBytes('::ffff:10.0.0.1')!)).toBe('00000000000000000000ffff0a000001');
    expect(hex(ipAddressBytes('1:2:3:4:5:6:7:8')!)).toBe('00010002000300040005000600070008');
    expect(ipAddressBytes('example.com')).toBeUndefined();
    expect(ipAddressBytes('256.0.0.1')).toBeUndefined();
  });
});
