/** One pool that follows the module's credentials (`nestjs-vault-config/pg`): names and numbers only. */
export interface CredentialPoolState {
  /** The pool's name: the key that holds its user name. */
  name: string;
  /** `dynamic`: leased credentials, re-issued; `static`: a static role's password, rotated. */
  kind: 'dynamic' | 'static';
  /** Seconds since the credentials in use for new connections arrived. */
  credentialAgeS: number;
  /** Seconds left on their lease (dynamic credentials with a lease only). */
  leaseRemainingS?: number;
  /** Pools on replaced credentials still waiting for their connections to come back. */
  draining: number;
  /** Credential sets with open connections: the current one and those draining. */
  credentialSets: number;
  /** Replaced leases that could not be revoked after their drain (they expire with their TTL). */
  revokeFailures: number;
}
