/** Where `vault secrets enable transit` mounts the engine. */
export const DEFAULT_TRANSIT_MOUNT = 'transit';

/** Vault's `framework.GenericNameRegex`: the names a transit key can have. */
export const TRANSIT_KEY_NAME = /^\w(?:[\w.-]*\w)?$/;

/** A mount path segment. */
export const MOUNT_SEGMENT = /^[\w.-]+$/;

/** `vault:v<N>:<base64>`: Vault's ciphertexts, signatures and HMACs. */
export const VERSIONED_VALUE = /^vault:v\d+:[A-Za-z0-9+/]*={0,2}$/;
