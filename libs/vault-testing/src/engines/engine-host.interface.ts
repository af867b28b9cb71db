import type { TestClock } from '../clock/test-clock.js';
import type { LeaseStore } from '../state/lease-store.js';
import type { TokenStore } from '../state/token-store.js';

/**
 * What secrets engines and auth methods need of the core: the clock, the token and lease stores,
 * and token revocation. VaultCore implements it; engines import this, never the core, so the core
 * can create engines without an import cycle.
 */
export interface EngineHost {
  readonly clock: TestClock;
  readonly tokens: TokenStore;
  readonly leases: LeaseStore;
  revokeToken(id: string, orphanChildren?: boolean): void;
}
