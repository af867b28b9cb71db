import type { VaultClient } from '../client/vault.client.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import type { VaultErrorSummary } from '../interfaces/vault-runtime-status.interface.js';
import type {
  VaultExpiry,
  VaultRenewalKind,
  VaultRenewalReport,
  VaultTelemetry,
} from '../interfaces/vault-telemetry.interface.js';
import { CertificateLifecycle } from '../lifecycle/certificate-lifecycle.js';
import { attemptOutcome } from '../lifecycle/attempt-outcome.js';
import { ErrorStreak } from '../lifecycle/error-streak.js';
import { StaticRoleLifecycle } from '../lifecycle/static-role-lifecycle.js';
import type {
  IssuedCertificate,
  SourceReadResult,
  StaticRoleRotation,
} from '../loading/source-read-result.interface.js';
import { exposeLeaseHolds } from './lease-holds.js';
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
  /** Where each timed source reads (for metrics: never its lease id or serial). */
  readonly #where = new Map<number, { mount: string; path: string }>();
  readonly #telemetry: VaultTelemetry | undefined;

  constructor(
    reread: Reread,
    logger?: LoggerLike,
    random?: () => number,
    telemetry?: VaultTelemetry,
    /** Where pools find the lease holds (`leaseHoldsOf(owner)`): the runtime. */
    owner?: object,
  ) {
    this.#telemetry = telemetry;
    const leaseStreak = new ErrorStreak('lease renewal', logger);
    const certificateStreak = new ErrorStreak('certificate renewal', logger);
    const rotationStreak = new ErrorStreak('static role read', logger);
    this.#streaks = [leaseStreak, certificateStreak, rotationStreak];
    this.#leases = new LeaseRegistry(
      leaseStreak,
      index => reread(index, 'lease'),
      random,
      index => this.#reporter('lease', index),
    );
    if (owner) exposeLeaseHolds(owner, this.#leases);
    this.#certificates = new TimedSourceRegistry(
      (index, held, client) =>
        new CertificateLifecycle(
          client,
          held.mount,
          held.certificate,
          () => reread(index, 'certificate'),
          certificateStreak,
          random,
          this.#reporter('certificate', index),
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
          this.#reporter('static-role', index),
        ),
    );
  }

  /** Replaces source `index`'s schedule with the one its new read result calls for (if any). */
  keep(index: number, result: SourceReadResult | undefined, client: VaultClient | undefined): void {
    if (result) this.#where.set(index, { mount: result.source.mount, path: result.source.path });
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

  /** The leases and certificates in use, with their expiry. */
  expiries(): VaultExpiry[] {
    const named = (kind: VaultExpiry['kind']) => (entry: [number, number]) => {
      const where = this.#where.get(entry[0]);
      return where ? [{ kind, ...where, expiresAt: entry[1] }] : [];
    };
    return [
      ...this.#leases.expiries().flatMap(named('lease')),
      ...this.#certificates.expiries().flatMap(named('certificate')),
    ];
  }

  get lastError(): VaultErrorSummary | undefined {
    return this.#streaks.find(s => s.last)?.last;
  }

  #reporter(kind: VaultRenewalKind, index: number): VaultRenewalReport {
    return (action, error) =>
      this.#telemetry?.renewed({
        kind,
        action,
        ...this.#where.get(index),
        ...attemptOutcome(error),
      });
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
