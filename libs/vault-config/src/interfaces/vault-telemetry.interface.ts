import type { CredentialPoolState } from './credential-pool-state.interface.js';
import type { LoadMode } from './load-summary.interface.js';

/** How one attempt ended. */
export type VaultOutcome = 'success' | 'failure';

/** What a renewal keeps current. */
export type VaultRenewalKind = 'token' | 'lease' | 'certificate' | 'static-role';

/** How it does: extend what Vault issued, have Vault issue a new one, or read it again. */
export type VaultRenewalAction = 'renew' | 'reissue' | 'reread';

/** Who asked for a refresh: the interval, or the app (`SecretsService.refresh()`). */
export type VaultRefreshTrigger = 'schedule' | 'demand';

/** Every event carries names and classes only: never a value, a token, a lease id or an accessor. */
interface OutcomeEvent {
  outcome: VaultOutcome;
  /** The error class name (`VaultUnavailableError`), on failures. */
  errorClass?: string;
}

export interface VaultLoadEvent extends OutcomeEvent {
  durationMs: number;
  mode?: LoadMode;
}

export interface VaultRefreshEvent extends OutcomeEvent {
  durationMs: number;
  trigger: VaultRefreshTrigger;
  /** On success: whether any key changed. */
  changed?: boolean;
}

export interface VaultLoginEvent extends OutcomeEvent {
  /** The auth method (`approle`, `token`, ...). */
  method: string;
}

export interface VaultRenewalEvent extends OutcomeEvent {
  kind: VaultRenewalKind;
  action: VaultRenewalAction;
  /** The source's mount and path (leases, certificates, static roles). */
  mount?: string;
  path?: string;
}

/**
 * The seam between the runtime and whoever records it (the metrics layer): the runtime and the
 * lifecycles report what happened; without a recorder nothing is kept.
 */
export interface VaultTelemetry {
  loaded(event: VaultLoadEvent): void;
  refreshed(event: VaultRefreshEvent): void;
  loggedIn(event: VaultLoginEvent): void;
  renewed(event: VaultRenewalEvent): void;
}

/** A recorder the runtime can let go of on shutdown (its gauges stop reporting). */
export interface VaultTelemetrySink extends VaultTelemetry {
  close(): void;
}

/** What a lifecycle reports after each attempt: no error = success. */
export type VaultRenewalReport = (action: VaultRenewalAction, error?: unknown) => void;

/** A lease or certificate in use and the time it has left. */
export interface VaultExpiry {
  kind: 'lease' | 'certificate';
  mount: string;
  path: string;
  /** ms since the epoch. */
  expiresAt: number;
}

/** What the gauges read on each collection. */
export interface VaultTelemetryReading {
  /** Remaining token TTL in seconds; 0 = never expires; undefined = unknown or no token. */
  tokenTtlS?: number;
  /** Since the last successful load or refresh. */
  lastRefreshAgeMs: number;
  expiries: VaultExpiry[];
  /** The pools that follow the credentials (`nestjs-vault-config/pg`). */
  pools?: CredentialPoolState[];
}
