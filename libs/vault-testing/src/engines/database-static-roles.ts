import { randomInt } from 'node:crypto';
import { parseStringList } from '../auth/auth-params.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import { parseDurationSeconds, rfc3339 } from '../util/duration.js';
import { randomBase62 } from '../util/ids.js';
import type { SafeRecord } from '../util/safe-object.js';

/** Vault refuses shorter periods. */
const MIN_ROTATION_PERIOD_S = 5;

interface StaticRole {
  readonly dbName: string;
  readonly username: string;
  rotationPeriodS: number;
  rotationStatements: string[];
  password: string;
  /** ms since the epoch, on the server's clock. */
  lastRotation: number;
}

/** What the engine checks of the role's connection before it takes the role. */
export type ConnectionCheck = (dbName: string, role: string) => void;

/** Vault's default password policy: 20 characters of letters, digits and one `-`. */
function newPassword(): string {
  const chars = randomBase62(19);
  const at = randomInt(1, 19);
  return `${chars.slice(0, at)}-${chars.slice(at)}`;
}

/** A 500 as Vault's multierror words it (a failed connection lookup, a role not allowed). */
export const multiError = (message: string): VaultHttpError =>
  new VaultHttpError(500, [`1 error occurred:\n\t* ${message}\n\n`]);

/**
 * Static roles of the `database` engine: one existing database user each, whose password Vault
 * rotates every `rotation_period` (and on `rotate-role`). Rotation follows the server's clock: any
 * request after the due time sees it done, as if Vault had rotated it on time; the database is
 * never contacted.
 */
export class DatabaseStaticRoles {
  readonly #roles = new Map<string, StaticRole>();

  has(name: string): boolean {
    return this.#roles.has(name);
  }

  names(): Iterable<string> {
    return this.#roles.keys();
  }

  delete(name: string): void {
    this.#roles.delete(name);
  }

  write(name: string, body: SafeRecord, now: number, checkConnection: ConnectionCheck): void {
    const existing = this.#roles.get(name);
    const dbName = typeof body.db_name === 'string' ? body.db_name : (existing?.dbName ?? '');
    if (dbName === '') throw VaultHttpError.badRequest('database name is a required field');
    const username = typeof body.username === 'string' ? body.username : '';
    if (existing && username !== existing.username) {
      throw VaultHttpError.badRequest('cannot update static account username');
    }
    if (!existing && username === '') {
      throw VaultHttpError.badRequest('username is a required field to create a static account');
    }
    const period = this.#rotationPeriod(body, existing);
    checkConnection(dbName, name);
    const statements = parseStringList(body.rotation_statements);
    if (existing) {
      existing.rotationPeriodS = period;
      if (statements) existing.rotationStatements = statements;
      return;
    }
    // Vault sets a new password as soon as it takes the account over.
    this.#roles.set(name, {
      dbName,
      username,
      rotationPeriodS: period,
      rotationStatements: statements ?? [],
      password: newPassword(),
      lastRotation: now,
    });
  }

  read(name: string, now: number): Record<string, unknown> | undefined {
    const role = this.#settled(name, now);
    if (!role) return undefined;
    return {
      credential_type: 'password',
      db_name: role.dbName,
      last_vault_rotation: rfc3339(role.lastRotation),
      rotation_period: role.rotationPeriodS,
      rotation_statements: [...role.rotationStatements],
      username: role.username,
    };
  }

  creds(name: string, now: number): Record<string, unknown> {
    const role = this.#settled(name, now);
    if (!role) throw VaultHttpError.badRequest(`unknown role: ${name}`);
    const nextRotation = role.lastRotation + role.rotationPeriodS * 1000;
    return {
      last_vault_rotation: rfc3339(role.lastRotation),
      password: role.password,
      rotation_period: role.rotationPeriodS,
      ttl: Math.max(0, Math.floor((nextRotation - now) / 1000)),
      username: role.username,
    };
  }

  rotate(name: string, now: number): void {
    const role = this.#roles.get(name);
    if (!role) throw VaultHttpError.badRequest('no static role found for role name');
    role.password = newPassword();
    role.lastRotation = now;
  }

  /** The role with every rotation that fell due by `now` done (one new password at most). */
  #settled(name: string, now: number): StaticRole | undefined {
    const role = this.#roles.get(name);
    if (!role) return undefined;
    const periodMs = role.rotationPeriodS * 1000;
    const due = Math.floor((now - role.lastRotation) / periodMs);
    if (due >= 1) {
      role.lastRotation += due * periodMs;
      role.password = newPassword();
    }
    return role;
  }

  #rotationPeriod(body: SafeRecord, existing: StaticRole | undefined): number {
    if (body.rotation_period === undefined) {
      if (existing) return existing.rotationPeriodS;
      throw VaultHttpError.badRequest('rotation_period is required to create static accounts');
    }
    let period: number;
    try {
      period = parseDurationSeconds(body.rotation_period);
    } catch (error) {
      const reason = error instanceof VaultHttpError ? error.errors[0] : 'invalid duration';
      throw VaultHttpError.badRequest(
        `error converting input for field "rotation_period": ${reason}`,
      );
    }
    if (period < MIN_ROTATION_PERIOD_S) {
      throw VaultHttpError.badRequest('rotation_period must be 5 seconds or more');
    }
    return period;
  }
}
