import { EventLoopHold } from '../client/event-loop-hold.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { BufferedLogger } from '../runtime/buffered-logger.js';
import type { InitialLoad } from '../runtime/initial-load.js';
import { loadRuntimeModule } from '../runtime/load-runtime-module.js';
import type { VaultRead } from '../runtime/read-vault.js';

/** The variables a read depends on (address, token, TLS, `{env}`, cloud credentials, ~/.vault-token). */
const READ_ENV = /^(VAULT_|AWS_|AZURE_|GOOGLE_|GCE_|IDENTITY_|NODE_ENV$|HOME$)/;

function fingerprint(env: NodeJS.ProcessEnv): string {
  const names = Object.keys(env).filter(name => READ_ENV.test(name));
  return JSON.stringify(names.sort().map(name => [name, env[name]]));
}

/** Long enough never to fire: it only keeps the event loop alive while a claim waits. */
const KEEP_ALIVE_MS = 60_000;

/**
 * A Vault read started when `VaultConfigModule.forRoot(options)` or `vaultConfigLoader(options)` is
 * called — while the app module file is evaluated — so Vault's round trips overlap with Nest's
 * bootstrap. It stays invisible except for speed:
 * - the first claim (the module's runtime provider, or the loader's factory) gets the read and its
 *   errors, at the point where Nest creates the provider; log lines are held until then;
 * - a later claim (a second app from the same module object) reads again, so each app has its own
 *   connection and lifecycles;
 * - when a VAULT_* (or cloud) variable changed between the read and the claim (e.g. ConfigModule
 *   loaded a .env), the read is dropped and done again with the current environment;
 * - the environment's fallback values are taken at the claim, as without the prefetch;
 * - never claimed (a test overrides the module): its rejection is never unhandled, and its sockets
 *   and timers never keep the process alive;
 * - it issues nothing that needs revoking before a claim: it logs in and reads KV and static roles,
 *   and dynamic credentials and PKI certificates are issued at the claim (one round trip more at
 *   boot, in parallel, against credentials nobody revokes). Its login token is revoked when it is
 *   dropped: the module's runtime was built from other options (VAULT_CONFIG_OPTIONS overridden),
 *   or the environment changed; never claimed nor dropped, it expires with its TTL.
 */
export class VaultPrefetch {
  readonly #options: VaultConfigOptions;
  readonly #hold = new EventLoopHold(false);
  readonly #lines = new BufferedLogger();
  readonly #read: Promise<VaultRead>;
  #readEnv = '';
  #claimed = false;

  constructor(options: VaultConfigOptions) {
    this.#options = options;
    this.#read = loadRuntimeModule().then(runtime => {
      this.#readEnv = fingerprint(process.env);
      // Dynamic and PKI sources wait for the claim: an unclaimed read issues nothing to revoke.
      return runtime.readVault(options, process.env, this.#lines, this.#hold, true);
    });
    this.#read.catch(() => undefined);
  }

  /**
   * Nobody will claim the read (the app was built from other options): its token is revoked, best
   * effort, and its connection closed. A later claim reads afresh.
   */
  drop(): void {
    if (this.#claimed) return;
    this.#claimed = true;
    // The revocation keeps the process alive until it is sent.
    this.#hold.hold();
    void Promise.all([loadRuntimeModule(), this.#read])
      .then(([runtime, read]) => runtime.discardRead(read))
      .catch(() => undefined);
  }

  /** The load for one app: the prefetched read the first time, a fresh load after that. */
  async claim<T extends object>(
    logger: LoggerLike | undefined,
    keepConnection: boolean,
  ): Promise<InitialLoad<T>> {
    const runtime = await loadRuntimeModule();
    const fresh = () => runtime.performInitialLoad<T>(this.#options, { logger }, keepConnection);
    if (this.#claimed) return fresh();
    this.#claimed = true;
    this.#hold.hold();
    // The read's sockets were unref'd: now that an app waits for it, keep the process alive.
    const keepAlive = setInterval(() => undefined, KEEP_ALIVE_MS);
    try {
      const settled = await this.#read.then(
        read => ({ read }),
        (error: unknown) => ({ error }),
      );
      if (this.#readEnv !== fingerprint(process.env)) {
        if ('read' in settled) await runtime.discardRead(settled.read);
        return await fresh();
      }
      this.#lines.replayTo(logger);
      if ('error' in settled) throw settled.error;
      return await runtime.completeLoad<T>(settled.read, process.env, logger, keepConnection);
    } finally {
      clearInterval(keepAlive);
    }
  }
}
