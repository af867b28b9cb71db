import type { SecretSourceKind } from './secret-description.interface.js';

/** One key whose value changed — its name and where it now comes from, never the value. */
export interface SecretChange {
  key: string;
  change: 'added' | 'updated' | 'removed';
  /** Where the value comes from now (`removed`: where it came from). */
  source: SecretSourceKind;
  mount?: string;
  path?: string;
  /** KV v2 versions, when known. */
  previousVersion?: number;
  version?: number;
  /** Set when the key belongs to a dynamic source (e.g. database credentials re-issued). */
  dynamic?: true;
}

/** Emitted after a new snapshot is in place (ConfigService and SecretsService already updated). */
export interface SecretsChangedEvent {
  /**
   * `refresh`: a scheduled or on-demand re-read; `lease`: a dynamic secret was re-issued;
   * `certificate`: a PKI source's certificate was re-issued; `rotation`: Vault rotated a static
   * role's password and it was read again.
   */
  reason: 'refresh' | 'lease' | 'certificate' | 'rotation';
  changes: SecretChange[];
  at: Date;
}

export type SecretsChangedListener = (event: SecretsChangedEvent) => void;

/** What `SecretsService.refresh()` resolves to. */
export interface SecretsRefreshResult {
  changed: boolean;
  changes: SecretChange[];
  durationMs: number;
}
