import type { VaultClient } from '../client/vault.client.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { VaultRenewalReport } from '../interfaces/vault-telemetry.interface.js';
import type { IssuedCertificate } from '../loading/source-read-result.interface.js';
import type { ErrorStreak } from './error-streak.js';
import { renewDelayMs, retryDelayMs } from './renewal-schedule.js';
import type { TimedSource } from './timed-source.interface.js';
import { TimerSlot } from './timer-slot.js';

/**
 * Keeps a PKI source's certificate current: at about 2/3 of its lifetime (counted from when it
 * was issued to its notAfter, up to 10 % earlier at random) `reissue` gets a new one. A failed
 * re-issue retries with backoff. The replaced certificate is left to expire: connections made with
 * it stay valid. `revoke()` (shutdown) revokes the current one by serial.
 */
export class CertificateLifecycle implements TimedSource {
  readonly #client: VaultClient;
  readonly #mount: string;
  readonly #certificate: IssuedCertificate;
  readonly #reissue: () => Promise<void>;
  readonly #streak: ErrorStreak;
  readonly #random: () => number;
  readonly #timer = new TimerSlot();
  readonly #report: VaultRenewalReport | undefined;

  constructor(
    client: VaultClient,
    mount: string,
    certificate: IssuedCertificate,
    reissue: () => Promise<void>,
    streak: ErrorStreak,
    random = Math.random,
    report?: VaultRenewalReport,
  ) {
    this.#report = report;
    this.#client = client;
    this.#mount = mount;
    this.#certificate = certificate;
    this.#reissue = reissue;
    this.#streak = streak;
    this.#random = random;
    const lifetimeS = (certificate.expiresAt - certificate.issuedAt) / 1000;
    const elapsed = Date.now() - certificate.issuedAt;
    this.#timer.set(renewDelayMs(lifetimeS, random) - elapsed, () => void this.#cycle());
  }

  /** The certificate's notAfter (ms since the epoch). */
  get expiresAt(): number {
    return this.#certificate.expiresAt;
  }

  stop(): void {
    this.#timer.close();
  }

  async revoke(): Promise<void> {
    this.stop();
    const path = `${this.#mount}/revoke`;
    const res = await this.#client.request({
      method: 'POST',
      path,
      body: { serial_number: this.#certificate.serialNumber },
      idempotent: true,
    });
    if (res.status >= 300) {
      throw new VaultResponseError({
        path,
        status: res.status,
        reason: `could not revoke the certificate ${this.#certificate.serialNumber}`,
      });
    }
  }

  async #cycle(): Promise<void> {
    try {
      await this.#reissue();
      this.#streak.succeed();
      this.#report?.('reissue');
    } catch (error) {
      this.#streak.fail(error, 'retrying with backoff');
      this.#report?.('reissue', error);
      this.#timer.set(retryDelayMs(this.#streak.failures, this.#random), () => void this.#cycle());
    }
  }
}
