import type { X509Certificate } from 'node:crypto';

/** What a renewal request shows of its connection (cert auth checks the certificate again). */
export interface RenewConnection {
  readonly clientCertificate?: X509Certificate;
  readonly clientChain?: readonly X509Certificate[];
}

/** Throws a VaultHttpError when the auth method refuses to renew the token it issued. */
export type RenewCheck = (connection: RenewConnection) => void;

/** A token as the server stores it. Times are ms on the server's TestClock; TTLs are seconds. */
export interface TokenEntry {
  readonly id: string;
  readonly accessor: string;
  readonly policies: string[];
  readonly namespace: string;
  readonly parentId: string | undefined;
  readonly children: Set<string>;
  readonly creationTime: number;
  readonly creationTtl: number;
  readonly explicitMaxTtl: number;
  readonly period: number;
  readonly renewable: boolean;
  readonly meta: Record<string, string> | null;
  readonly displayName: string;
  readonly orphan: boolean;
  readonly path: string;
  readonly entityId: string;
  /** Absolute expiry (ms), `undefined` for no TTL (root). */
  expireTime: number | undefined;
  /** Hard ceiling from explicit_max_ttl / role max TTL / system max, `undefined` when none. */
  maxExpireTime: number | undefined;
  lastRenewal: number | undefined;
  /** Remaining uses; 0 = unlimited. */
  numUses: number;
  /** Data returned with auth responses (role_name, service account...). */
  readonly authMetadata?: Record<string, string>;
  /** The issuing auth method's renewal check (Vault calls the backend's renew handler). */
  readonly renewCheck?: RenewCheck;
}
