/**
 * The schedule of one source whose secret changes with time: a lease renewed or re-issued, a
 * certificate re-issued, a static role read again after Vault rotates it. When it is due it asks
 * the runtime to read the source again; the runtime installs the result and keeps a new schedule.
 */
export interface TimedSource {
  /** When what it holds runs out (ms since the epoch); absent: never, or nothing to run out. */
  readonly expiresAt?: number | undefined;
  /** Stops its timer for good. */
  stop(): void;
  /** Ends what Vault issued for the source (a lease, a certificate); absent: nothing to end. */
  revoke?(): Promise<void>;
}
