export { VaultTestServer } from './vault-test-server.js';
export { TestClock } from './clock/test-clock.js';
export { loadSeedFile } from './seed/load-seed-file.js';
export type { VaultTestServerOptions } from './interfaces/vault-test-server-options.interface.js';
export type { VaultTestCloudOptions } from './interfaces/vault-test-cloud-options.interface.js';
export type { FaultOptions, InjectedFault } from './interfaces/fault-options.interface.js';
export type {
  SeedDocument,
  SeedNamespace,
  SeedMount,
  SeedToken,
  SeedAppRoleRole,
  SeedKubernetesRole,
  SeedJwtRole,
  SeedPasswordUser,
  SeedSecretValue,
} from './interfaces/seed-document.interface.js';
export type { ServerStats } from './stats/request-stats.js';
export type { HealthMode } from './state/vault-core.js';
