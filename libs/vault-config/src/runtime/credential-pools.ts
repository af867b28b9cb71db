import type { CredentialPoolState } from '../interfaces/credential-pool-state.interface.js';

export type { CredentialPoolState };

/**
 * The credential state of the connection pools that follow the module's secrets (the `pg`
 * subpath), as health and metrics show it: names and numbers only, never a user name or password.
 * Kept on the runtime under a `Symbol.for` key, so the subpath bundles share one board.
 */
export class CredentialPoolBoard {
  readonly #pools = new Set<() => CredentialPoolState>();

  /** Shows `read()`'s state until the returned function is called. */
  add(read: () => CredentialPoolState): () => void {
    this.#pools.add(read);
    return () => this.#pools.delete(read);
  }

  list(): CredentialPoolState[] {
    return [...this.#pools].map(read => read());
  }
}

const CREDENTIAL_POOLS = Symbol.for('nestjs-vault-config.credential-pools');

/** The board of `owner` (the runtime), made on first use. */
export function credentialPoolsOf(owner: object): CredentialPoolBoard {
  const held = owner as { [CREDENTIAL_POOLS]?: CredentialPoolBoard };
  const board = held[CREDENTIAL_POOLS] ?? new CredentialPoolBoard();
  if (!held[CREDENTIAL_POOLS]) {
    Object.defineProperty(owner, CREDENTIAL_POOLS, { value: board, enumerable: false });
  }
  return board;
}
