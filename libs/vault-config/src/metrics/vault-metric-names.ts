/** The instrumentation scope; the version is the package's (a unit test keeps them equal). */
export const METER_NAME = 'nestjs-vault-config';
export const METER_VERSION = '0.1.0';

/** Instrument names, OpenTelemetry style: dot-separated, the unit given apart. */
export const METRIC = {
  loads: 'vault_config.loads',
  refreshes: 'vault_config.refreshes',
  logins: 'vault_config.logins',
  renewals: 'vault_config.renewals',
  failures: 'vault_config.failures',
  loadDuration: 'vault_config.load.duration',
  refreshDuration: 'vault_config.refresh.duration',
  tokenTtl: 'vault_config.token.ttl',
  leaseRemaining: 'vault_config.lease.remaining',
  certificateRemaining: 'vault_config.certificate.remaining',
  refreshAge: 'vault_config.refresh.age',
  poolCredentialAge: 'vault_config.pool.credential.age',
  poolLeaseRemaining: 'vault_config.pool.lease.remaining',
  poolDraining: 'vault_config.pool.draining',
} as const;

/** Attribute keys. Values are names, classes and places: never a secret, token or lease id. */
export const ATTR = {
  outcome: 'vault.outcome',
  mode: 'vault.load.mode',
  trigger: 'vault.refresh.trigger',
  changed: 'vault.refresh.changed',
  method: 'vault.auth.method',
  kind: 'vault.renewal.kind',
  action: 'vault.renewal.action',
  mount: 'vault.mount',
  path: 'vault.path',
  during: 'vault.during',
  /** A pool of `nestjs-vault-config/pg`: the key that holds its user name. */
  pool: 'vault.pool',
  /** The OpenTelemetry semantic-convention key for an error's class. */
  errorType: 'error.type',
} as const;

/** Seconds, as the semantic conventions' `*.duration` histograms (HTTP's boundaries). */
export const DURATION_BOUNDARIES_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
