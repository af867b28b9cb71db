const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));
const isNewline = (c: string | undefined) => c === '\n' || c === '\r';

/** What Go's `base64.StdEncoding.DecodeString` rejects, with its message. */
export class GoBase64Error extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
    this.name = 'GoBase64Error';
  }
}

/**
 * Go's `base64.StdEncoding.DecodeString`, which Vault uses for every base64 field: padding is
 * required, `\r` and `\n` are skipped, anything else outside the alphabet fails at its offset (Node's
 * `Buffer.from(text, 'base64')` accepts almost anything, so it cannot stand in for it).
 */
export function decodeGoBase64(text: string): Buffer {
  const out: number[] = [];
  let si = 0;
  while (si < text.length) {
    const quantum: number[] = [];
    let end = false;
    while (quantum.length < 4) {
      if (si === text.length) {
        if (quantum.length === 0) return Buffer.from(out);
        throw new GoBase64Error(si - quantum.length);
      }
      const c = text[si];
      si++;
      const v = VALUE.get(c);
      if (v !== undefined) {
        quantum.push(v);
        continue;
      }
      if (isNewline(c)) continue;
      if (c !== '=' || quantum.length < 2) throw new GoBase64Error(si - 1);
      if (quantum.length === 2) {
        while (isNewline(text[si])) si++;
        if (si === text.length) throw new GoBase64Error(text.length);
        if (text[si] !== '=') throw new GoBase64Error(si - 1);
        si++;
      }
      while (isNewline(text[si])) si++;
      if (si < text.length) throw new GoBase64Error(si);
      end = true;
      break;
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff];
    out.push(...bytes.slice(0, quantum.length - 1));
    if (end) break;
  }
  return Buffer.from(out);
}

/** Go's `base64.StdEncoding.EncodeToString`. */
export const encodeBase64 = (bytes: Buffer): string => bytes.toString('base64');
