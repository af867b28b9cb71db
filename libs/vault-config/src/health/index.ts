export { VaultHealthIndicator } from './vault.health.js';
export type { VaultDegradedReason } from './degraded-reasons.js';
