import type { TestClock } from '../clock/test-clock.js';
import { rfc3339 } from '../util/duration.js';
import type { TokenStore } from './token-store.js';

/** A response held by a wrapping token until it is unwrapped. */
export interface WrappedResponse {
  /** The envelope as it would have been answered (its request_id is replaced on unwrap). */
  readonly envelope: Record<string, unknown>;
  readonly creationPath: string;
  readonly creationTime: number;
  readonly ttl: number;
}

/** The `wrap_info` of a wrapped answer. */
export interface WrapInfo {
  token: string;
  accessor: string;
  ttl: number;
  creation_time: string;
  creation_path: string;
  wrapped_accessor?: string;
}

/**
 * Response wrapping: each wrapped answer gets a single-use wrapping token (a real token with only
 * the `response-wrapping` policy, expiring after the wrap TTL on the server's clock). Unwrapping
 * hands the answer out once and revokes the token.
 */
export class WrappingStore {
  private readonly byToken = new Map<string, WrappedResponse>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly clock: TestClock,
  ) {}

  wrap(
    envelope: Record<string, unknown>,
    creationPath: string,
    ttl: number,
    namespace: string,
    wrappedAccessor: string | undefined,
  ): WrapInfo {
    const now = this.clock.now();
    const token = this.tokens.create({
      policies: ['response-wrapping'],
      namespace,
      noParent: true,
      ttl,
      renewable: false,
      // Single use: any request made with it (but lookup and unwrap) spends it, as in Vault.
      numUses: 1,
      displayName: 'token',
      path: creationPath,
    });
    this.byToken.set(token.id, { envelope, creationPath, creationTime: now, ttl });
    return {
      token: token.id,
      accessor: token.accessor,
      ttl,
      creation_time: rfc3339(now),
      creation_path: creationPath,
      ...(wrappedAccessor ? { wrapped_accessor: wrappedAccessor } : {}),
    };
  }

  /** The wrapped response, while its token lives and has not been unwrapped. */
  peek(tokenId: string): WrappedResponse | undefined {
    const entry = this.byToken.get(tokenId);
    if (!entry) return undefined;
    if (!this.tokens.lookup(tokenId)) {
      this.byToken.delete(tokenId);
      return undefined;
    }
    return entry;
  }

  /** Unwraps: the response, once; the wrapping token is revoked. */
  take(tokenId: string): WrappedResponse | undefined {
    const entry = this.peek(tokenId);
    if (!entry) return undefined;
    this.byToken.delete(tokenId);
    this.tokens.revoke(tokenId);
    return entry;
  }
}
