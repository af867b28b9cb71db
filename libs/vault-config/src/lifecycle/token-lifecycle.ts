import type { AuthMethod } from '../auth/auth-method.interface.js';
import type { VaultClient } from '../client/vault.client.js';
import { attemptOutcome, failedAttempt } from './attempt-outcome.js';
import { VaultAuthError } from '../errors/vault-auth.error.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { VaultTelemetry } from '../interfaces/vault-telemetry.interface.js';
import { ErrorStreak } from './error-streak.js';
import { isPastMaxTtl } from './past-max-ttl.js';
import { RenewalBudget } from './renewal-budget.js';
import { renewDelayMs, retryDelayMs } from './renewal-schedule.js';
import { TimerSlot } from './timer-slot.js';
import { vaultDurationS } from './vault-duration.js';

interface TokenTerms {
  ttlS: number;
  renewable: boolean;
}

/** How long after boot a given token is looked up (its TTL decides the renewal schedule). */
const LOOKUP_DELAY_MS = 1000;

/**
 * Keeps the client's token alive: renews a renewable token at about 2/3 of its TTL (asking for its
 * full TTL again); when a renewal comes back shorter than asked (its max TTL is near), fails, or the
 * token is not renewable, logs in again with the configured method (AppRole, Kubernetes, token
 * file re-read). Failures retry with backoff (the client honours Retry-After on 429) and are logged
 * once per streak. A token that never expires (TTL 0) needs nothing. All timers are unref'd.
 * Renewals and logins of the schedule share a `RenewalBudget`, none sooner than the renewal floor;
 * a TTL that is no duration is a broken answer (VaultResponseError), retried like a failure.
 */
export class TokenLifecycle {
  readonly #client: VaultClient;
  readonly #auth: AuthMethod;
  readonly #timer = new TimerSlot();
  readonly #budget = new RenewalBudget();
  readonly #streak: ErrorStreak;
  readonly #random: () => number;
  readonly #logger: LoggerLike | undefined;
  #expiresAt: number | undefined;
  #neverExpires = false;
  #known = false;
  /** The TTL a renewal asks for: the token's TTL when it was issued. */
  #fullTtlS = 0;
  #reauthenticating: Promise<void> | undefined;
  readonly #stillAccepted: (() => Promise<boolean>) | undefined;
  #maxTtlWarned = false;
  #stopped = false;
  /** Nothing will renew or replace the token: a fixed token, or one at its max TTL. */
  #runsOut = false;
  readonly #telemetry: VaultTelemetry | undefined;

  /**
   * `stillAccepted` tells, when lookup-self is denied, whether the token still works (a read it is
   * known to be allowed): a policy without lookup-self and a revoked token both answer 403 there.
   */
  constructor(
    client: VaultClient,
    auth: AuthMethod,
    logger?: LoggerLike,
    random = Math.random,
    stillAccepted?: () => Promise<boolean>,
    telemetry?: VaultTelemetry,
  ) {
    this.#telemetry = telemetry;
    this.#stillAccepted = stillAccepted;
    this.#client = client;
    this.#auth = auth;
    this.#streak = new ErrorStreak('token renewal', logger);
    this.#random = random;
    this.#logger = logger;
  }

  /**
   * Starts from a login's auth block, or asks `lookup-self` what the token is — a moment after
   * boot, so the extra request never competes with the app's startup.
   */
  start(login?: VaultAuthBlock): void {
    if (login) {
      try {
        return this.#adopt(this.#terms(login, `the ${this.#auth.name} login`), true);
      } catch (error) {
        this.#streak.fail(error, 'its TTL is looked up with backoff');
        this.#timer.set(retryDelayMs(1, this.#random), () => void this.#lookupAndAdopt());
        return;
      }
    }
    if (!this.#client.hasToken()) return;
    this.#timer.set(LOOKUP_DELAY_MS, () => void this.#lookupAndAdopt());
  }

  async #lookupAndAdopt(): Promise<void> {
    try {
      this.#adopt(await this.#lookup(), true);
      this.#streak.succeed();
    } catch (error) {
      if (error instanceof VaultPermissionError) return this.#lookupDenied();
      this.#streak.fail(error, 'retrying with backoff');
      this.#timer.set(retryDelayMs(this.#streak.failures, this.#random), () => {
        void this.#lookupAndAdopt();
      });
    }
  }

  async #lookupDenied(): Promise<void> {
    const accepted = (await this.#stillAccepted?.().catch(() => true)) ?? true;
    if (accepted) {
      // A policy without lookup-self: a choice, not a failure. The token is used as it is.
      this.#logger?.warn('Vault token may not look itself up: it is used without renewal');
      return;
    }
    if (this.#auth.canReauthenticate) return this.#cycle('login');
    this.#streak.fail(
      new VaultAuthError({
        method: this.#auth.name,
        status: 403,
        reason: 'token rejected: Vault no longer accepts it (revoked or expired since the boot)',
      }),
      'reads fail until the app gets a new token; the last secrets are kept',
    );
  }

  /** Remaining TTL in seconds; 0 = never expires; undefined = unknown. */
  get ttlS(): number | undefined {
    if (this.#neverExpires) return 0;
    if (!this.#known || this.#expiresAt === undefined) return undefined;
    return Math.max(0, Math.round((this.#expiresAt - Date.now()) / 1000));
  }

  get lastError() {
    return this.#streak.last;
  }

  /** Nothing will renew or replace the token and a third of its TTL or less is left (health). */
  get runningOut(): boolean {
    const ttl = this.ttlS;
    return this.#runsOut && ttl !== undefined && ttl <= this.#fullTtlS / 3;
  }

  get canReauthenticate(): boolean {
    return this.#auth.canReauthenticate;
  }

  /** Logs in again now (e.g. after a 403 showed the token was revoked); coalesces callers. */
  reauthenticate(): Promise<void> {
    // After shutdown a late 403 or timer must not open a session nobody would revoke.
    if (this.#stopped) return Promise.resolve();
    const method = this.#auth.name;
    this.#reauthenticating ??= this.#login()
      .then(
        () => this.#telemetry?.loggedIn({ method, outcome: 'success' }),
        (error: unknown) => {
          this.#telemetry?.loggedIn({ method, ...failedAttempt(error) });
          throw error;
        },
      )
      .finally(() => {
        this.#reauthenticating = undefined;
      });
    return this.#reauthenticating;
  }

  /** Whether Vault still accepts the token (`lookup-self`). */
  async isTokenValid(): Promise<boolean> {
    try {
      await this.#client.lookupSelf();
      return true;
    } catch (error) {
      if (error instanceof VaultPermissionError) return false;
      throw error;
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#timer.close();
  }

  /**
   * Revokes the token when it came from our own login; a token the app was given is kept. A login
   * still on its way is waited for, so the token it brings is the one revoked.
   */
  async revoke(): Promise<void> {
    await this.#reauthenticating?.catch(() => undefined);
    if (!this.#auth.ownsToken || !this.#client.hasToken()) return;
    await this.#client.request({ method: 'POST', path: 'auth/token/revoke-self', body: {} });
    this.#client.setToken(undefined);
  }

  #adopt(terms: TokenTerms, fresh: boolean): void {
    this.#known = true;
    this.#runsOut = false;
    if (fresh) this.#fullTtlS = terms.ttlS;
    if (terms.ttlS <= 0 && fresh) {
      this.#neverExpires = true;
      this.#expiresAt = undefined;
      this.#timer.clear();
      return;
    }
    this.#neverExpires = false;
    this.#expiresAt = Date.now() + Math.max(0, terms.ttlS) * 1000;
    const capped = !fresh && terms.ttlS < this.#fullTtlS;
    // A renewal granting 0 s (Vault counts whole seconds) means the max TTL is here, not "forever".
    if (capped && (terms.ttlS <= 0 || !this.#auth.canReauthenticate)) return this.#atMaxTtl();
    const renew = terms.renewable && !capped;
    if (!renew && !this.#auth.canReauthenticate) {
      // A fixed, non-renewable token: nothing can extend it; health shows its TTL running out.
      this.#runsOut = true;
      this.#timer.clear();
      return;
    }
    this.#schedule(renewDelayMs(terms.ttlS, this.#random), renew ? 'renew' : 'login');
  }

  #schedule(delayMs: number, kind: 'renew' | 'login'): void {
    this.#timer.set(this.#budget.delay(delayMs), () => void this.#cycle(kind));
  }

  async #cycle(kind: 'renew' | 'login'): Promise<void> {
    this.#budget.spend();
    try {
      if (kind === 'renew') {
        try {
          const block = await this.#client.renewSelf(this.#fullTtlS);
          this.#logger?.debug?.(`Vault token renewed (TTL ${block.lease_duration}s)`);
          this.#adopt(this.#terms(block, 'auth/token/renew-self'), false);
          this.#renewed();
        } catch (error) {
          if (isPastMaxTtl(error)) return this.#atMaxTtl();
          this.#renewed(error);
          if (!this.#auth.canReauthenticate) throw error;
          await this.reauthenticate();
        }
      } else {
        await this.reauthenticate();
      }
      this.#streak.succeed();
    } catch (error) {
      const consequence = this.#auth.canReauthenticate
        ? 'retrying the login with backoff'
        : 'retrying with backoff';
      this.#streak.fail(error, consequence);
      const next = this.#auth.canReauthenticate ? 'login' : 'renew';
      this.#schedule(retryDelayMs(this.#streak.failures, this.#random), next);
    }
  }

  #renewed(error?: unknown): void {
    this.#telemetry?.renewed({
      kind: 'token',
      action: 'renew',
      ...attemptOutcome(error),
    });
  }

  /**
   * Renewal cannot extend the token any more (its max TTL): a login method logs in again now; a
   * fixed token is left to run out, with one warning saying when — not an outage, not a retry loop.
   */
  #atMaxTtl(): void {
    if (this.#auth.canReauthenticate) {
      this.#schedule(0, 'login');
      return;
    }
    this.#runsOut = true;
    this.#timer.clear();
    this.#streak.succeed();
    if (this.#maxTtlWarned) return;
    this.#maxTtlWarned = true;
    const at = this.#expiresAt !== undefined ? new Date(this.#expiresAt).toISOString() : 'now';
    this.#logger?.warn(
      `Vault token reaches its max TTL at ${at} and cannot be renewed past it: reads fail from then ` +
        'on. Give the app a periodic token, or a login method the module can repeat (AppRole, Kubernetes, JWT)',
    );
  }

  async #login(): Promise<void> {
    const block = await this.#auth.authenticate(this.#client);
    this.#logger?.debug?.(`Vault token replaced by a new ${this.#auth.name} login`);
    const terms = block ? this.#terms(block, `the ${this.#auth.name} login`) : await this.#lookup();
    this.#adopt(terms, true);
  }

  async #lookup(): Promise<TokenTerms> {
    const data = await this.#client.lookupSelf();
    const path = 'auth/token/lookup-self';
    const ttlS = data.ttl === undefined ? 0 : vaultDurationS(data.ttl, path, 'data.ttl');
    return { ttlS, renewable: data.renewable === true };
  }

  #terms(block: VaultAuthBlock, path: string): TokenTerms {
    const ttlS = vaultDurationS(block.lease_duration, path, 'auth.lease_duration');
    return { ttlS, renewable: block.renewable };
  }
}
