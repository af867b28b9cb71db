export { VaultHealthIndicator } from './vault.health.js';
