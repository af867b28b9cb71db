import type { ResolvedSecretSource } from '../../options/resolved-vault-config-options.interface.js';

export type MountKind = 'kv1' | 'kv2' | 'other' | 'missing' | 'unknown';

/** A configured source with the paths its reads go to. */
export interface SourcePaths {
  readonly source: ResolvedSecretSource;
  readonly kind: MountKind;
  readonly kv: 1 | 2 | undefined;
  readonly read: string;
  readonly metadata?: string;
}
