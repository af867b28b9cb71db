import type { ResolvedSecretSource } from '../options/resolved-vault-config-options.interface.js';

/** The lease of a dynamic secret (e.g. database credentials). */
export interface SecretLease {
  id: string;
  durationS: number;
  renewable: boolean;
}

/** A PKI source's certificate: what it takes to renew and revoke it (nothing secret). */
export interface IssuedCertificate {
  /** Vault's `aa:bb:…` form, as `<mount>/revoke` takes it. */
  serialNumber: string;
  /** ms since the epoch: when we received it, and its notAfter. */
  issuedAt: number;
  expiresAt: number;
}

/** Where a static role is in its rotation, as `static-creds` said at `readAt`. */
export interface StaticRoleRotation {
  /** `last_vault_rotation`, as Vault wrote it: a new value means a new password. */
  lastRotation: string;
  /** Seconds until Vault's next rotation (0 once it is due). */
  ttlS: number;
  rotationPeriodS?: number;
  /** ms since the epoch. */
  readAt: number;
}

/** What one source gave: its data (never logged) and where it came from. */
export interface SourceReadResult {
  source: ResolvedSecretSource;
  found: boolean;
  kvVersion?: 1 | 2;
  /** KV v2 secret version. */
  version?: number;
  data?: Record<string, unknown>;
  lease?: SecretLease;
  certificate?: IssuedCertificate;
  rotation?: StaticRoleRotation;
}
