import type { SecretsSource } from './secrets-source.interface.js';

/** A `Symbol.for` key: a subpath bundle with its own copy of this file reads the same property. */
const SECRETS_SOURCE = Symbol.for('nestjs-vault-config.secrets-source');

/** Lets the package's subpaths (`/pg`) reach the runtime behind a `SecretsService`. */
export function exposeSecretsSource(service: object, source: SecretsSource): void {
  Object.defineProperty(service, SECRETS_SOURCE, { value: source, enumerable: false });
}

/** The runtime behind a `SecretsService`; undefined for anything else. */
export function secretsSourceOf(service: object): SecretsSource | undefined {
  return (service as { [SECRETS_SOURCE]?: SecretsSource })[SECRETS_SOURCE];
}
