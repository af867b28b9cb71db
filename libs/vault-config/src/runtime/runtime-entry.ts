// What the Nest layer and `loadVaultSecrets` load on first use, as one lazy chunk: importing the
// package stays cheap (its cost is measured by bench:startup), and reading Vault starts at once.
export { createVaultClient } from '../client/create-vault-client.js';
export { completeLoad, performInitialLoad } from './initial-load.js';
export { discardRead } from './discard-read.js';
export { readVault } from './read-vault.js';
export { VaultSecretsRuntime } from './vault-secrets-runtime.js';
