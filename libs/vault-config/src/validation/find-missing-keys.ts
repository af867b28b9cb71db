import type { MissingSecret } from '../errors/missing-secrets.error.js';

/** Every required key absent from the merged values, described by `describe` (where it was looked for). */
export function findMissingKeys(
  required: Iterable<string>,
  present: { has(key: string): boolean },
  describe: (key: string) => MissingSecret,
): MissingSecret[] {
  const missing: MissingSecret[] = [];
  const seen = new Set<string>();
  for (const key of required) {
    if (seen.has(key) || present.has(key)) continue;
    seen.add(key);
    missing.push(describe(key));
  }
  return missing;
}
