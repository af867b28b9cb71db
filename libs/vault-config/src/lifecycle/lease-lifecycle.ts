import type { VaultClient } from '../client/vault.client.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { VaultRenewalReport } from '../interfaces/vault-telemetry.interface.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';
import type { ErrorStreak } from './error-streak.js';
import type { TimedSource } from './timed-source.interface.js';
import { renewDelayMs, retryDelayMs } from './renewal-schedule.js';
import { TimerSlot } from './timer-slot.js';

/**
 * Keeps one dynamic secret's lease alive: renews it at about 2/3 of its duration (asking for the
 * original duration again); when Vault grants less (the lease's max TTL is near), the lease is not
 * renewable, or renewal fails, `reissue` is called before it expires so new credentials replace
 * it. A failed re-issue retries with backoff. The replaced lease is left to expire: connections
 * opened with it may still be in use.
 */
export class LeaseLifecycle implements TimedSource {
  readonly #client: VaultClient;
  readonly #timer = new TimerSlot();
  readonly #reissue: () => Promise<void>;
  readonly #streak: ErrorStreak;
  readonly #random: () => number;
  readonly #fullDurationS: number;
  readonly #report: VaultRenewalReport | undefined;
  #lease: SecretLease;
  #expiresAt: number | undefined;

  constructor(
    client: VaultClient,
    lease: SecretLease,
    reissue: () => Promise<void>,
    streak: ErrorStreak,
    random = Math.random,
    report?: VaultRenewalReport,
  ) {
    this.#report = report;
    this.#client = client;
    this.#lease = lease;
    this.#reissue = reissue;
    this.#streak = streak;
    this.#random = random;
    this.#fullDurationS = lease.durationS;
    this.#plan(lease, false);
  }

  /** When the lease in use runs out (ms since the epoch); undefined: it never does. */
  get expiresAt(): number | undefined {
    return this.#expiresAt;
  }

  stop(): void {
    this.#timer.close();
  }

  async revoke(): Promise<void> {
    this.stop();
    const res = await this.#client.request({
      method: 'PUT',
      path: 'sys/leases/revoke',
      body: { lease_id: this.#lease.id },
    });
    if (res.status >= 300) {
      throw new VaultResponseError({
        path: 'sys/leases/revoke',
        status: res.status,
        reason: `could not revoke the lease of ${this.#sourceName()}`,
      });
    }
  }

  #plan(lease: SecretLease, capped: boolean): void {
    this.#expiresAt = lease.durationS > 0 ? Date.now() + lease.durationS * 1000 : undefined;
    if (lease.durationS <= 0) return; // no expiry: nothing to keep alive
    const next = lease.renewable && !capped ? 'renew' : 'reissue';
    this.#timer.set(renewDelayMs(lease.durationS, this.#random), () => void this.#cycle(next));
  }

  async #cycle(kind: 'renew' | 'reissue'): Promise<void> {
    if (kind === 'renew') {
      try {
        const granted = await this.#renew();
        // 0 s granted is the lease's max TTL, not "no expiry": fall through to new credentials.
        if (granted > 0) {
          this.#lease = { ...this.#lease, durationS: granted };
          this.#streak.succeed();
          this.#report?.('renew');
          this.#plan(this.#lease, granted < this.#fullDurationS);
          return;
        }
      } catch (error) {
        // Fall through: new credentials replace a lease that cannot be renewed.
        this.#report?.('renew', error);
      }
    }
    try {
      await this.#reissue();
      this.#streak.succeed();
      this.#report?.('reissue');
    } catch (error) {
      this.#streak.fail(error, 'retrying with backoff');
      this.#report?.('reissue', error);
      this.#timer.set(retryDelayMs(this.#streak.failures, this.#random), () => {
        void this.#cycle('reissue');
      });
    }
  }

  async #renew(): Promise<number> {
    const path = 'sys/leases/renew';
    const res = await this.#client.request({
      method: 'PUT',
      path,
      body: { lease_id: this.#lease.id, increment: this.#fullDurationS },
    });
    const body = res.body as { lease_duration?: unknown } | undefined;
    if (res.status !== 200 || typeof body?.lease_duration !== 'number') {
      throw new VaultResponseError({
        path,
        status: res.status,
        reason: `could not renew the lease of ${this.#sourceName()}`,
      });
    }
    return body.lease_duration;
  }

  #sourceName(): string {
    // The lease id is `<mount>/<path>/<uuid>`: its path part names the source without secrets.
    return this.#lease.id.split('/').slice(0, -1).join('/') || 'a dynamic secret';
  }
}
