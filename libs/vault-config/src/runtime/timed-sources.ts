import type { VaultClient } from '../client/vault.client.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import type { VaultErrorSummary } from '../interfaces/vault-runtime-status.interface.js';
import { CertificateLifecycle } from '../lifecycle/certificate-lifecycle.js';
import { ErrorStreak } from '../lifecycle/error-streak.js';
import { StaticRoleLifecycle } from '../lifecycle/static-role-lifecycle.js';
import type {
  IssuedCertificate,
  SourceReadResult,
  StaticRoleRotation,
} from '../loading/source-read-result.interface.js';
import { LeaseRegistry } from './lease-registry.js';
import { TimedSourceRegistry } from './timed-source-registry.js';

/** Why a timed source was read again: the reason of its change event. */
export type TimedReason = Exclude<SecretsChangedEvent['reason'], 'refresh'>;

/** Reads source `index` again, installs the result and keeps its new schedule. */
export type Reread = (index: number, reason: TimedReason) => Promise<void>;

interface HeldCertificate {
  mount: string;
  certificate: IssuedCertificate;
}

/** What `revokeAll()` could not revoke. */
export interface RevocationFailures {
  leases: number;
  certificates: number;
}

/**
 * The schedules of every source whose secret changes with time, one kind per registry: leases of
 * dynamic sources (renewed, re-issued), certificates of PKI sources (re-issued), static roles
 * (read again after each rotation). Each kind has its own error streak.
 */
export class TimedSources {
  readonly #leases: LeaseRegistry;
  readonly #certificates: TimedSourceRegistry<HeldCertificate, CertificateLifecycle>;
  readonly #rotations: TimedSourceRegistry<StaticRoleRotation, StaticRoleLifecycle>;
  readonly #streaks: ErrorStreak[];

  constructor(reread: Reread, logger?: LoggerLike, random?: () => number) {
    const leaseStreak = new ErrorStreak('lease renewal', logger);
    const certificateStreak = new ErrorStreak('certificate renewal', logger);
    const rotationStreak = new ErrorStreak('static role read', logger);
    this.#streaks = [leaseStreak, certificateStreak, rotationStreak];
    this.#leases = new LeaseRegistry(leaseStreak, index => reread(index, 'lease'), random);
    this.#certificates = new TimedSourceRegistry(
      (index, held, client) =>
        new CertificateLifecycle(
          client,
          held.mount,
          held.certificate,
          () => reread(index, 'certificate'),
          certificateStreak,
          random,
        ),
    );
    this.#rotations = new TimedSourceRegistry(
      (index, rotation, _client, previous) =>
        new StaticRoleLifecycle(
          rotation,
          () => reread(index, 'rotation'),
          rotationStreak,
          previous,
          random,
        ),
    );
  }

  /** Replaces source `index`'s schedule with the one its new read result calls for (if any). */
  keep(index: number, result: SourceReadResult | undefined, client: VaultClient | undefined): void {
    this.#leases.keep(index, result?.lease, client);
    const certificate = result?.certificate;
    this.#certificates.keep(
      index,
      certificate && result ? { mount: result.source.mount, certificate } : undefined,
      client,
    );
    this.#rotations.keep(index, result?.rotation, client);
  }

  /**
   * Whether a refresh must leave source `index` alone: reading it again would issue new
   * credentials or a new certificate. (A static role is read again: that issues nothing.)
   */
  holds(index: number): boolean {
    return this.#leases.has(index) || this.#certificates.has(index);
  }

  get lastError(): VaultErrorSummary | undefined {
    return this.#streaks.find(s => s.last)?.last;
  }

  stopAll(): void {
    this.#leases.stopAll();
    this.#certificates.stopAll();
    this.#rotations.stopAll();
  }

  /** Revokes every lease and certificate at once. */
  async revokeAll(): Promise<RevocationFailures> {
    const [leases, certificates] = await Promise.all([
      this.#leases.revokeAll(),
      this.#certificates.revokeAll(),
    ]);
    return { leases, certificates };
  }
}
