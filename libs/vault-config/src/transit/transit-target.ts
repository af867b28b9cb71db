import { safeText } from '../utils/safe-text.js';
import { VaultTransitError } from './errors/vault-transit.error.js';
import { MOUNT_SEGMENT, TRANSIT_KEY_NAME } from './transit.constants.js';

export type TransitOperation = 'encrypt' | 'decrypt' | 'rewrap' | 'hmac' | 'sign' | 'verify';

/** Where one transit request goes: `<mount>/<operation>/<key>`. */
export interface TransitTarget {
  readonly mount: string;
  readonly operation: TransitOperation;
  readonly key: string;
  readonly path: string;
}

export function invalidArgument(
  target: Omit<TransitTarget, 'path'>,
  reason: string,
): VaultTransitError {
  return new VaultTransitError({ ...target, kind: 'invalid-argument', reason });
}

/** Checks the key name before anything is sent (the name is shown: key names are not secrets). */
export function transitTarget(
  mount: string,
  operation: TransitOperation,
  key: unknown,
): TransitTarget {
  const shown = typeof key === 'string' ? safeText(key, 80) : `<${typeof key}>`;
  if (typeof key !== 'string' || !TRANSIT_KEY_NAME.test(key)) {
    throw invalidArgument(
      { mount, operation, key: shown },
      'a transit key name is letters, digits, "_", "-" and "." (not at either end); pass the key ' +
        'name as Vault shows it in `vault list transit/keys`',
    );
  }
  return { mount, operation, key, path: `${mount}/${operation}/${key}` };
}

/** `transit`, `/kms/transit/` → `kms/transit`; anything else is a TypeError naming the option. */
export function normaliseMount(mount: unknown): string {
  const trimmed = typeof mount === 'string' ? mount.replace(/^\/+|\/+$/g, '') : '';
  const segments = trimmed.split('/');
  const valid =
    trimmed !== '' && segments.every(s => MOUNT_SEGMENT.test(s) && s !== '.' && s !== '..');
  if (!valid) {
    throw new TypeError(
      'TransitService.withMount(mount): mount must be a Vault mount path such as "transit" or ' +
        '"kms/transit" (letters, digits, "_", "-", "." separated by "/")',
    );
  }
  return trimmed;
}
