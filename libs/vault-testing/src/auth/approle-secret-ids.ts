import { randomUUID } from 'node:crypto';
import { VaultHttpError } from '../http/vault-http.error.js';
import { parseDurationSeconds, rfc3339 } from '../util/duration.js';
import type { SafeRecord } from '../util/safe-object.js';
import { parseMeta, parseNumber } from './auth-params.js';
import type { AppRole } from './approle-role.js';

export interface SecretId {
  secretId: string;
  accessor: string;
  role: string;
  createdAt: number;
  expireAt: number | undefined;
  /** Remaining uses; 0 = unlimited. */
  usesLeft: number;
  initialUses: number;
  ttl: number;
  metadata: Record<string, string> | null;
}

/** The secret IDs of one AppRole mount, with TTL (on the server's clock) and use counts. */
export class SecretIdStore {
  private readonly secretIds = new Map<string, SecretId>();

  constructor(private readonly now: () => number) {}

  /** Issues a secret ID (custom when `secretId` is given). */
  issue(role: AppRole, secretId: string | undefined, body: SafeRecord) {
    const now = this.now();
    const ttl = body.ttl === undefined ? role.secretIdTtl : parseDurationSeconds(body.ttl);
    const uses = body.num_uses === undefined ? role.secretIdNumUses : parseNumber(body.num_uses, 0);
    const id = secretId ?? randomUUID();
    if (this.secretIds.has(id)) throw VaultHttpError.badRequest('SecretID is already registered');
    const entry: SecretId = {
      secretId: id,
      accessor: randomUUID(),
      role: role.name,
      createdAt: now,
      expireAt: ttl > 0 ? now + ttl * 1000 : undefined,
      usesLeft: uses,
      initialUses: uses,
      ttl,
      metadata:
        typeof body.metadata === 'string' ? parseJsonMeta(body.metadata) : parseMeta(body.metadata),
    };
    this.secretIds.set(id, entry);
    return {
      secret_id: id,
      secret_id_accessor: entry.accessor,
      secret_id_num_uses: uses,
      secret_id_ttl: ttl,
    };
  }

  /** Accessors of the live secret IDs of `role`. */
  accessorsOf(role: string): string[] {
    return [...this.secretIds.values()]
      .filter(s => s.role === role && this.alive(s))
      .map(s => s.accessor);
  }

  /** The live secret ID named in `body` (`secret_id`, or `secret_id_accessor` when `byAccessor`). */
  find(role: string, body: SafeRecord, byAccessor: boolean): SecretId | undefined {
    if (byAccessor) {
      const accessor = body.secret_id_accessor;
      if (typeof accessor !== 'string')
        throw VaultHttpError.badRequest('missing secret_id_accessor');
      return [...this.secretIds.values()].find(
        s => s.role === role && s.accessor === accessor && this.alive(s),
      );
    }
    const id = body.secret_id;
    if (typeof id !== 'string') throw VaultHttpError.badRequest('missing secret_id');
    const entry = this.secretIds.get(id);
    return entry && entry.role === role && this.alive(entry) ? entry : undefined;
  }

  /** A login's use of secret ID `id`: undefined when unknown, expired or another role's. */
  redeem(role: string, id: string): SecretId | undefined {
    const entry = this.secretIds.get(id);
    if (!entry || entry.role !== role || !this.alive(entry)) return undefined;
    if (entry.usesLeft > 0) {
      entry.usesLeft -= 1;
      if (entry.usesLeft === 0) this.secretIds.delete(entry.secretId);
    }
    return entry;
  }

  destroy(entry: SecretId): void {
    this.secretIds.delete(entry.secretId);
  }

  /** Drops every secret ID of a deleted role. */
  dropRole(role: string): void {
    for (const [id, s] of this.secretIds) if (s.role === role) this.secretIds.delete(id);
  }

  private alive(entry: SecretId): boolean {
    if (entry.expireAt !== undefined && entry.expireAt <= this.now()) {
      this.secretIds.delete(entry.secretId);
      return false;
    }
    return true;
  }
}

/** `secret-id/lookup` and `secret-id-accessor/lookup` data. */
export function describeSecretId(entry: SecretId) {
  return {
    cidr_list: [],
    creation_time: rfc3339(entry.createdAt),
    expiration_time:
      entry.expireAt === undefined ? '0001-01-01T00:00:00Z' : rfc3339(entry.expireAt),
    last_updated_time: rfc3339(entry.createdAt),
    metadata: entry.metadata ?? {},
    secret_id_accessor: entry.accessor,
    secret_id_num_uses: entry.usesLeft,
    secret_id_ttl: entry.ttl,
    token_bound_cidrs: [],
  };
}

function parseJsonMeta(text: string): Record<string, string> | null {
  try {
    return parseMeta(JSON.parse(text));
  } catch {
    throw VaultHttpError.badRequest('failed to parse metadata');
  }
}
