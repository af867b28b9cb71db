/** Canary values: planted in Vault or the environment, they must never show up in any output. */
import { randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';

/** A value that must never show up in any output. */
export const canary = (label: string): string =>
  `canary-${label}-${randomBytes(6).toString('hex')}`;

/** Canaries a suite plants (`fresh(label)`), kept in `canaries` for its leak checks. */
export function plantedCanaries(): { canaries: string[]; fresh: (label: string) => string } {
  const canaries: string[] = [];
  const fresh = (label: string): string => {
    const value = canary(label);
    canaries.push(value);
    return value;
  };
  return { canaries, fresh };
}

export function expectNoCanary(texts: readonly string[], canaries: readonly string[]): void {
  for (const text of texts) {
    for (const c of canaries) expect(text).not.toContain(c);
  }
}
