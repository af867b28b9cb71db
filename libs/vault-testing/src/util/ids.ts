import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomBase62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 248) out += ALPHABET[b % 62];
  }
  while (out.length < length) out += ALPHABET[randomBytes(1)[0] % 62];
  return out;
}

export const newUuid = (): string => randomUUID();
export const newTokenId = (): string => `hvs.${randomBase62(24)}`;
export const newAccessor = (): string => randomBase62(24);
