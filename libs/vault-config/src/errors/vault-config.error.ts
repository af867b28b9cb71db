/**
 * Base of every error the library throws. Subclasses build their message and properties from safe
 * facts only (paths, key names, status codes, error codes, Vault's own error strings, truncated):
 * never a secret value, never a token, and never a `cause` (transport errors can carry both).
 */
export class VaultConfigError extends Error {
  readonly code: string;

  constructor(message: string, code = 'VAULT_CONFIG_ERROR') {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}
