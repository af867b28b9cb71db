import { safeText } from '../../utils/safe-text.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import {
  NEVER_MOVED_KEYS,
  NEVER_MOVED_PREFIXES,
  NON_SECRET_KEYS,
  NON_SECRET_PREFIXES,
} from './migrate-keys.constants.js';

/** Why a key of the file stays where it is. */
export type StayReason =
  | 'vault-connection-setting'
  | 'environment-name'
  | 'not-named-with-only'
  | 'excluded'
  | 'non-secret-setting';

export interface StayingKey {
  readonly key: string;
  readonly reason: StayReason;
}

export interface KeySelection {
  /** The keys that move, in file order. */
  readonly keys: string[];
  /** Every other key of the file, in file order, with the reason it stays. */
  readonly stay: StayingKey[];
}

/** The plan's words for each reason. */
export const STAY_REASON_TEXT: Readonly<Record<StayReason, string>> = {
  'vault-connection-setting': 'Vault connection setting: never moved',
  'environment-name': 'picks the environment before Vault is read: never moved',
  'not-named-with-only': 'not named with --only',
  excluded: 'named with --exclude',
  'non-secret-setting': 'non-secret setting: name it with --only to move it',
};

const startsWithAny = (key: string, prefixes: readonly string[]) =>
  prefixes.some(p => key.startsWith(p));

function neverMoved(key: string): StayReason | undefined {
  if (startsWithAny(key, NEVER_MOVED_PREFIXES)) return 'vault-connection-setting';
  if (NEVER_MOVED_KEYS.includes(key)) return 'environment-name';
  return undefined;
}

const isNonSecret = (key: string) =>
  NON_SECRET_KEYS.includes(key) || startsWithAny(key, NON_SECRET_PREFIXES);

/**
 * Splits the file's keys (first-appearance order) into those that move and those that stay:
 * VAULT_* and NODE_ENV never move (naming one with --only is a usage error); without --only the
 * well-known non-secret settings stay too; --only and --exclude narrow the rest.
 */
export function selectMigrationKeys(
  fileKeys: readonly string[],
  only: readonly string[],
  exclude: readonly string[],
  command: string,
): KeySelection {
  const known = new Set(fileKeys);
  for (const [option, names] of [
    ['--only', only],
    ['--exclude', exclude],
  ] as const) {
    const unknown = names.filter(n => !known.has(n));
    if (unknown.length) {
      throw new CliUsageError(
        `${option} names ${unknown.map(n => safeText(n, 60)).join(', ')}, not in the file`,
        command,
      );
    }
  }
  const refused = only.filter(k => neverMoved(k) !== undefined);
  if (refused.length) {
    throw new CliUsageError(
      `--only names ${refused.join(', ')}, which never move${refused.length === 1 ? 's' : ''}: ` +
        'the module reads VAULT_* and NODE_ENV from the environment before it can read Vault',
      command,
    );
  }
  const named = new Set(only);
  const excluded = new Set(exclude);
  const stayReason = (key: string): StayReason | undefined => {
    const never = neverMoved(key);
    if (never) return never;
    if (excluded.has(key)) return 'excluded';
    if (named.size > 0) return named.has(key) ? undefined : 'not-named-with-only';
    return isNonSecret(key) ? 'non-secret-setting' : undefined;
  };
  const selection: KeySelection = { keys: [], stay: [] };
  for (const key of fileKeys) {
    const reason = stayReason(key);
    if (reason) selection.stay.push({ key, reason });
    else selection.keys.push(key);
  }
  return selection;
}
