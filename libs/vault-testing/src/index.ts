export const VAULT_TESTING_PLACEHOLDER = true;
