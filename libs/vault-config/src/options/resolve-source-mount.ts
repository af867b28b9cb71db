import { nonEmpty, own, type RawOptions, type Report } from './option-reader.js';
import { normalizeVaultPath } from './path-template.js';

/** A source's `mount`, normalised; undefined (reported) when unusable. */
export function resolveSourceMount(s: RawOptions, at: string, problem: Report): string | undefined {
  const mount = own(s, 'mount');
  const normalized = nonEmpty(mount) ? normalizeVaultPath(mount) : undefined;
  if (!nonEmpty(mount)) problem(`${at}.mount`, 'must be a non-empty string');
  else if (!normalized) problem(`${at}.mount`, 'must be a mount path such as secret');
  return normalized;
}
