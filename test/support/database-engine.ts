/**
 * Sets up Vault's `database` secrets engine for PostgreSQL credentials on any target: dynamic
 * roles (`configureDatabaseEngine`) and static roles (`configureStaticRole`).
 * A real Vault connects to the PostgreSQL given; the in-memory server never connects, so it gets
 * the same calls with a placeholder URL and `<mount>/creds/<role>` works on both.
 */
import { randomBytes } from 'node:crypto';
import { call } from './contract-helpers.js';
import { sqlLiteral, type PostgresServer } from './postgres.js';
import type { VaultTarget } from './vault-target.js';

export interface DatabaseEngineOptions {
  /** Default `database`. */
  readonly mount?: string;
  readonly role: string;
  /** Seconds or a Vault duration (`1m`). */
  readonly defaultTtl: number | string;
  readonly maxTtl: number | string;
}

export interface DatabaseEngineSetup {
  readonly mount: string;
  readonly role: string;
  /** The connection (`<mount>/config/<connection>`) the role uses. */
  readonly connection: string;
  /** `<mount>/creds/<role>`. */
  readonly credsPath: string;
}

/**
 * `{{expiration}}` makes PostgreSQL itself refuse the login once the lease is over, even if Vault
 * never gets to revoke it; renewals move it (the plugin's default renew statement).
 */
export const POSTGRES_CREATION_STATEMENTS = [
  `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
  'GRANT CONNECT ON DATABASE postgres TO "{{name}}";',
];

const PLACEHOLDER_URL =
  'postgresql://{{username}}:{{password}}@127.0.0.1:5432/postgres?sslmode=disable';

export async function configureDatabaseEngine(
  target: VaultTarget,
  pg: PostgresServer | undefined,
  opts: DatabaseEngineOptions,
): Promise<DatabaseEngineSetup> {
  if (!pg && target.kind !== 'memory') {
    throw new Error(`the ${target.kind} target needs a PostgreSQL server for the database engine`);
  }
  const mount = opts.mount ?? 'database';
  await ensureDatabaseMount(target, mount);

  // One connection per role, so configuring a second role never narrows the first one's allowed_roles.
  const connection = `${opts.role}-pg`;
  await expectNoContent(target, `${mount}/config/${connection}`, pg?.password, {
    plugin_name: 'postgresql-database-plugin',
    connection_url: pg?.connectionUrl ?? PLACEHOLDER_URL,
    username: pg?.superuser ?? 'vault_admin',
    password: pg?.password ?? randomBytes(12).toString('base64url'),
    allowed_roles: [opts.role],
  });
  // No revocation_statements: the plugin's default revokes the grants and drops the role.
  await expectNoContent(target, `${mount}/roles/${opts.role}`, undefined, {
    db_name: connection,
    creation_statements: POSTGRES_CREATION_STATEMENTS,
    default_ttl: opts.defaultTtl,
    max_ttl: opts.maxTtl,
  });
  return { mount, role: opts.role, connection, credsPath: `${mount}/creds/${opts.role}` };
}

export interface StaticRoleOptions {
  /** Default `database`. */
  readonly mount?: string;
  readonly role: string;
  /** The database user Vault takes over; created in PostgreSQL first when there is one. */
  readonly username: string;
  /** Seconds or a Vault duration; Vault's minimum is 5 s. */
  readonly rotationPeriod: number | string;
}

export interface StaticRoleSetup {
  readonly mount: string;
  readonly role: string;
  readonly connection: string;
  readonly username: string;
  /** `<mount>/static-creds/<role>`. */
  readonly credsPath: string;
  /** The password the user had before Vault took it over. */
  readonly initialPassword: string;
}

/**
 * A database static role on any target: on a real Vault the PostgreSQL user is created with a
 * password of ours, which Vault replaces as soon as it takes the account over.
 */
export async function configureStaticRole(
  target: VaultTarget,
  pg: PostgresServer | undefined,
  opts: StaticRoleOptions,
): Promise<StaticRoleSetup> {
  if (!pg && target.kind !== 'memory') {
    throw new Error(`the ${target.kind} target needs a PostgreSQL server for static roles`);
  }
  const mount = opts.mount ?? 'database';
  await ensureDatabaseMount(target, mount);
  const initialPassword = randomBytes(12).toString('base64url');
  await pg?.query(
    `CREATE ROLE "${opts.username}" WITH LOGIN PASSWORD ${sqlLiteral(initialPassword)}`,
  );
  const connection = `${opts.role}-pg`;
  await expectNoContent(target, `${mount}/config/${connection}`, pg?.password, {
    plugin_name: 'postgresql-database-plugin',
    connection_url: pg?.connectionUrl ?? PLACEHOLDER_URL,
    username: pg?.superuser ?? 'vault_admin',
    password: pg?.password ?? randomBytes(12).toString('base64url'),
    allowed_roles: [opts.role],
  });
  await expectNoContent(target, `${mount}/static-roles/${opts.role}`, pg?.password, {
    db_name: connection,
    username: opts.username,
    rotation_period: opts.rotationPeriod,
  });
  return {
    mount,
    role: opts.role,
    connection,
    username: opts.username,
    credsPath: `${mount}/static-creds/${opts.role}`,
    initialPassword,
  };
}

async function ensureDatabaseMount(target: VaultTarget, mount: string): Promise<void> {
  const mounts = await call(target, 'GET', 'sys/mounts');
  const existing = mounts.body?.data?.[`${mount}/`];
  if (existing) {
    if (existing.type !== 'database') throw new Error(`${mount}/ is mounted as ${existing.type}`);
    return;
  }
  await expectNoContent(target, `sys/mounts/${mount}`, undefined, { type: 'database' });
}

async function expectNoContent(
  target: VaultTarget,
  path: string,
  secret: string | undefined,
  body: unknown,
): Promise<void> {
  const res = await call(target, 'POST', path, { body });
  if (res.status === 204) return;
  // A failed connection check is reported by the driver; make sure no password rides along.
  const text = secret ? res.text.split(secret).join('[redacted]') : res.text;
  throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 500)}`);
}
