import type { VaultClient } from '../client/vault.client.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { VaultRenewalReport } from '../interfaces/vault-telemetry.interface.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';
import type { ErrorStreak } from './error-streak.js';
import { RenewalBudget } from './renewal-budget.js';
import type { TimedSource } from './timed-source.interface.js';
import { MIN_RENEW_DELAY_MS, renewDelayMs, retryDelayMs } from './renewal-schedule.js';
import { TimerSlot } from './timer-slot.js';
import { vaultDurationS } from './vault-duration.js';

/**
 * Keeps one dynamic secret's lease alive: renews it at about 2/3 of its duration (asking for the
 * original duration again); when Vault grants less (the lease's max TTL is near), the lease is not
 * renewable, or renewal fails, `reissue` is called before it expires so new credentials replace
 * it. A failed re-issue retries with backoff. The replaced lease is left to expire: connections
 * opened with it may still be in use. `leadMs` (a pool draining its connections, see `pg/`) moves
 * the renewal or re-issue to that long before the expiry at the latest (a fresh lease: never
 * before half its duration). Whatever Vault answers, renewals and re-issues of one source
 * share a `RenewalBudget` and none comes sooner than the renewal floor; a duration that is no
 * duration (non-finite, negative, past Go's limit) is a broken answer: a failed renewal, or, for
 * the lease as read, a warning and no schedule (the credentials are used as they are).
 */
export class LeaseLifecycle implements TimedSource {
  readonly #client: VaultClient;
  readonly #timer = new TimerSlot();
  readonly #reissue: () => Promise<void>;
  readonly #streak: ErrorStreak;
  readonly #random: () => number;
  readonly #fullDurationS: number;
  readonly #report: VaultRenewalReport | undefined;
  readonly #budget: RenewalBudget;
  readonly #leadMs: () => number;
  #lease: SecretLease;
  #expiresAt: number | undefined;
  #planned: { at: number; kind: 'renew' | 'reissue'; capped: boolean } | undefined;

  constructor(
    client: VaultClient,
    lease: SecretLease,
    reissue: () => Promise<void>,
    streak: ErrorStreak,
    random = Math.random,
    report?: VaultRenewalReport,
    budget = new RenewalBudget(),
    leadMs: () => number = () => 0,
  ) {
    this.#leadMs = leadMs;
    this.#report = report;
    this.#budget = budget;
    this.#client = client;
    this.#lease = lease;
    this.#reissue = reissue;
    this.#streak = streak;
    this.#random = random;
    this.#fullDurationS = lease.durationS;
    try {
      vaultDurationS(lease.durationS, this.#sourceName(), 'lease_duration');
    } catch (error) {
      // Reported on the next turn: the re-issue that brought this lease reports its success first.
      const consequence = 'its lease is not renewed: the credentials are used as they are';
      this.#timer.set(0, () => void this.#streak.fail(error, consequence));
      return;
    }
    this.#plan(lease, false);
  }

  /** When the lease in use runs out (ms since the epoch); undefined: it never does. */
  get expiresAt(): number | undefined {
    return this.#expiresAt;
  }

  stop(): void {
    this.#planned = undefined;
    this.#timer.close();
  }

  /** The lead time asked for changed: the planned renewal or re-issue comes earlier if it must. */
  relead(): void {
    const planned = this.#planned;
    if (!planned) return;
    const at = planned.at - this.#leadShiftMs(planned.capped);
    this.#timer.set(this.#budget.delay(Math.max(0, at - Date.now())), () => {
      void this.#cycle(planned.kind);
    });
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
    const kind = lease.renewable && !capped ? 'renew' : 'reissue';
    const at = Date.now() + renewDelayMs(lease.durationS, this.#random);
    this.#planned = { at, kind, capped };
    const delayMs = Math.max(MIN_RENEW_DELAY_MS, at - this.#leadShiftMs(capped) - Date.now());
    this.#timer.set(this.#budget.delay(delayMs), () => void this.#cycle(kind));
  }

  /**
   * How much earlier than planned to act so that `leadMs` is left before the expiry. A lease Vault
   * capped (its max TTL is near) gets the whole lead, down to acting at once; a fresh one is never
   * replaced before half its duration (a lead longer than the lease would re-issue in a loop).
   */
  #leadShiftMs(capped: boolean): number {
    const planned = this.#planned;
    const lead = this.#leadMs();
    if (!planned || lead <= 0 || this.#expiresAt === undefined) return 0;
    const durationMs = this.#lease.durationS * 1000;
    const latest = this.#expiresAt - Math.min(lead, capped ? durationMs : durationMs / 2);
    return Math.max(0, planned.at - latest);
  }

  #schedule(delayMs: number, kind: 'renew' | 'reissue'): void {
    this.#planned = undefined;
    this.#timer.set(this.#budget.delay(delayMs), () => void this.#cycle(kind));
  }

  async #cycle(kind: 'renew' | 'reissue'): Promise<void> {
    this.#planned = undefined;
    this.#budget.spend();
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
      this.#schedule(retryDelayMs(this.#streak.failures, this.#random), 'reissue');
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
    return vaultDurationS(body.lease_duration, path, 'lease_duration');
  }

  #sourceName(): string {
    // The lease id is `<mount>/<path>/<uuid>`: its path part names the source without secrets.
    return this.#lease.id.split('/').slice(0, -1).join('/') || 'a dynamic secret';
  }
}
