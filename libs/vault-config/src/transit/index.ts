// The `nestjs-vault-config/transit` subpath: Vault's transit engine on the module's connection.
export { TransitService } from './transit.service.js';
export {
  VaultTransitError,
  type VaultTransitErrorDetails,
  type VaultTransitErrorKind,
} from './errors/vault-transit.error.js';
export { VaultTransitKeyNotFoundError } from './errors/vault-transit-key-not-found.error.js';
export { VaultTransitItemError } from './errors/vault-transit-item.error.js';
export type * from './interfaces/transit-options.interface.js';
export { VaultNotConnectedError } from '../errors/vault-not-connected.error.js';
