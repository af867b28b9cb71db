import { describe, expect, it } from '@jest/globals';
import { decodeGoBase64 } from './go-base64.js';

// Expected offsets are those OpenBao (Go's base64.StdEncoding) reported for the same inputs.
describe("decodeGoBase64 (Go's StdEncoding, as Vault decodes base64 fields)", () => {
  it('decodes padded standard base64, skipping newlines', () => {
    expect(decodeGoBase64('aGVsbG8=').toString()).toBe('hello');
    expect(decodeGoBase64('aGVs\nbG8=').toString()).toBe('hello');
    expect(decodeGoBase64('').length).toBe(0);
    expect(decodeGoBase64('+/+/').toString('hex')).toBe('fbffbf');
  });

  it.each([
    ['bad!', 3],
    ['!!', 0],
    ['not base64!!', 3],
    ['aGVsbG8', 4], // missing padding: the start of the last quantum
    ['123', 0],
    ['a===', 1],
    ['aGVsbG8=x', 8], // data after the padding
    ['aGVsbA=', 7], // one '=' where two are needed
    ['aGVs-_', 4], // the URL alphabet is not the standard one
  ])('refuses %j at byte %i', (text, offset) => {
    expect(() => decodeGoBase64(text)).toThrow(`illegal base64 data at input byte ${offset}`);
  });
});
