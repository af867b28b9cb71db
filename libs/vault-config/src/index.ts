export const VAULT_CONFIG_PLACEHOLDER = true;
