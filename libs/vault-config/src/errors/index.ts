export * from './vault-config.error.js';
export * from './vault-unavailable.error.js';
export * from './vault-permission.error.js';
export * from './vault-secret-not-found.error.js';
export * from './missing-secrets.error.js';
export * from './vault-config-options.error.js';
export * from './vault-response.error.js';
export * from './vault-auth.error.js';
