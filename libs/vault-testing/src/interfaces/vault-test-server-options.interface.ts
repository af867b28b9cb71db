import type { TestClock } from '../clock/test-clock.js';
import type { SeedDocument } from './seed-document.interface.js';
import type { VaultTestCloudOptions } from './vault-test-cloud-options.interface.js';

export interface VaultTestServerOptions {
  /** Default 0: an ephemeral port. The host is always 127.0.0.1. */
  port?: number;
  /** Default: a random `hvs.`-style token. */
  rootToken?: string;
  /** A seed document, or the path of a `.json`/`.yaml`/`.yml` file holding one. */
  seed?: SeedDocument | string;
  /** Added to every `/v1` request. */
  latencyMs?: number;
  /** Enables a file audit device named `file` writing to this path. */
  auditFile?: string;
  /** Token, lease and secret-id expiry use only this clock. Default: a new TestClock at real now. */
  clock?: TestClock;
  /** Endpoints of the cloud auth methods (aws, gcp, azure) that Vault configures no other way. */
  cloud?: VaultTestCloudOptions;
  /**
   * Serve https with this certificate and key (PEM). The server asks every client for a
   * certificate and accepts any (or none) in the handshake; the `cert` auth method verifies it.
   */
  tls?: { cert: string; key: string };
}
