import { randomBytes } from 'node:crypto';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import { parseStringList } from '../auth/auth-params.js';
import { parseDurationSeconds } from '../util/duration.js';
import { randomBase62 } from '../util/ids.js';
import { safeRecord, type SafeRecord } from '../util/safe-object.js';
import { SYSTEM_MAX_TTL_SECONDS } from '../state/token-store.js';
import type { EngineRequest, SecretEngine } from './secret-engine.interface.js';
import { listChildren } from './kv/kv-list.js';
import { DatabaseStaticRoles, multiError } from './database-static-roles.js';

interface DbConnection {
  pluginName: string;
  connectionUrl: string;
  username: string;
  allowedRoles: string[];
}

interface DbRole {
  dbName: string;
  defaultTtl: number;
  maxTtl: number;
  creationStatements: string[];
  revocationStatements: string[];
}

const UNIQUE_NAMES = 'Role and Static Role names must be unique';

/**
 * The `database` secrets engine: dynamic credentials (roles, creds) and static roles
 * (static-roles, static-creds, rotate-role). Passwords are generated; nothing connects to a
 * database.
 */
export class DatabaseEngine implements SecretEngine {
  private readonly connections = new Map<string, DbConnection>();
  private readonly roles = new Map<string, DbRole>();
  private readonly staticRoles = new DatabaseStaticRoles();

  exists(req: EngineRequest): boolean {
    const m = /^(config|roles|static-roles)\/([^/]+)$/.exec(req.path);
    if (!m) return true;
    if (m[1] === 'static-roles') return this.staticRoles.has(m[2]);
    return m[1] === 'config' ? this.connections.has(m[2]) : this.roles.has(m[2]);
  }

  handle(req: EngineRequest): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const path = req.path.replace(/\/$/, '');
    if (path === 'config' || path === 'roles' || path === 'static-roles') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      const names = {
        config: () => this.connections.keys(),
        roles: () => this.roles.keys(),
        'static-roles': () => this.staticRoles.names(),
      };
      return listChildren(names[path](), '');
    }
    const m =
      /^(config|roles|creds|rotate-root|static-roles|static-creds|rotate-role)\/([^/]+)$/.exec(
        path,
      );
    if (!m) throw VaultHttpError.unsupportedPath();
    const [, kind, name] = m as unknown as [string, string, string];
    if (kind.startsWith('static-') || kind === 'rotate-role')
      return this.staticRole(req, kind, name);
    if (kind === 'config') {
      if (op === 'read') {
        const c = this.connections.get(name);
        if (!c) throw VaultHttpError.notFound();
        return {
          data: {
            allowed_roles: [...c.allowedRoles],
            connection_details: { connection_url: c.connectionUrl, username: c.username },
            password_policy: '',
            plugin_name: c.pluginName,
            plugin_version: '',
            root_credentials_rotate_statements: [],
            verify_connection: true,
          },
        };
      }
      if (write) {
        if (typeof req.body.plugin_name !== 'string' || req.body.plugin_name === '') {
          throw VaultHttpError.badRequest('empty plugin name');
        }
        this.connections.set(name, {
          pluginName: req.body.plugin_name,
          connectionUrl: typeof req.body.connection_url === 'string' ? req.body.connection_url : '',
          username: typeof req.body.username === 'string' ? req.body.username : '',
          allowedRoles: parseStringList(req.body.allowed_roles) ?? [],
        });
        return NO_CONTENT;
      }
      if (op === 'delete') {
        this.connections.delete(name);
        return NO_CONTENT;
      }
      throw VaultHttpError.unsupportedOperation();
    }
    if (kind === 'roles') {
      if (op === 'read') {
        const r = this.roles.get(name);
        if (!r) throw VaultHttpError.notFound();
        return {
          data: {
            creation_statements: [...r.creationStatements],
            credential_type: 'password',
            db_name: r.dbName,
            default_ttl: r.defaultTtl,
            max_ttl: r.maxTtl,
            renew_statements: [],
            revocation_statements: [...r.revocationStatements],
            rollback_statements: [],
          },
        };
      }
      if (write) {
        this.writeRole(name, req.body);
        return NO_CONTENT;
      }
      if (op === 'delete') {
        this.roles.delete(name);
        return NO_CONTENT;
      }
      throw VaultHttpError.unsupportedOperation();
    }
    if (kind === 'rotate-root') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      if (!this.connections.has(name)) throw VaultHttpError.badRequest('no configuration found');
      return NO_CONTENT;
    }
    if (op !== 'read') throw VaultHttpError.unsupportedOperation();
    return this.creds(req, name);
  }

  private staticRole(req: EngineRequest, kind: string, name: string): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const now = req.core.clock.now();
    if (kind === 'static-creds') {
      if (op !== 'read') throw VaultHttpError.unsupportedOperation();
      return { data: this.staticRoles.creds(name, now) };
    }
    if (kind === 'rotate-role') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      this.staticRoles.rotate(name, now);
      return NO_CONTENT;
    }
    if (op === 'read') {
      const data = this.staticRoles.read(name, now);
      if (!data) throw VaultHttpError.notFound();
      return { data };
    }
    if (op === 'delete') {
      this.staticRoles.delete(name);
      return NO_CONTENT;
    }
    if (!write) throw VaultHttpError.unsupportedOperation();
    if (this.roles.has(name)) throw VaultHttpError.badRequest(UNIQUE_NAMES);
    this.staticRoles.write(name, req.body, now, (dbName, role) => {
      const db = this.connections.get(dbName);
      if (!db) throw multiError(`failed to find entry for connection with name: "${dbName}"`);
      if (!db.allowedRoles.includes('*') && !db.allowedRoles.includes(role)) {
        throw multiError(`"${role}" is not an allowed role`);
      }
    });
    return NO_CONTENT;
  }

  private writeRole(name: string, body: SafeRecord): void {
    if (this.staticRoles.has(name)) throw VaultHttpError.badRequest(UNIQUE_NAMES);
    if (typeof body.db_name !== 'string' || body.db_name === '') {
      throw VaultHttpError.badRequest('empty database name attribute');
    }
    const creation = parseStringList(body.creation_statements) ?? [];
    if (!creation.length) throw VaultHttpError.badRequest('creation statements are required');
    const defaultTtl = parseDurationSeconds(body.default_ttl, 0);
    const maxTtl = parseDurationSeconds(body.max_ttl, 0);
    if (maxTtl > 0 && defaultTtl > maxTtl) {
      throw VaultHttpError.badRequest('"default_ttl" cannot be greater than "max_ttl"');
    }
    this.roles.set(name, {
      dbName: body.db_name,
      defaultTtl,
      maxTtl,
      creationStatements: creation,
      revocationStatements: parseStringList(body.revocation_statements) ?? [],
    });
  }

  private creds(req: EngineRequest, name: string): VaultResult {
    const role = this.roles.get(name);
    if (!role) throw VaultHttpError.badRequest(`unknown role: ${name}`);
    const db = this.connections.get(role.dbName);
    if (!db) throw VaultHttpError.badRequest(`could not find database "${role.dbName}"`);
    if (!db.allowedRoles.includes('*') && !db.allowedRoles.includes(name)) {
      throw VaultHttpError.badRequest(`"${name}" is not an allowed role`);
    }
    const ttl = role.defaultTtl || req.mount.config.default_lease_ttl || SYSTEM_MAX_TTL_SECONDS;
    const maxTtl = role.maxTtl || req.mount.config.max_lease_ttl || SYSTEM_MAX_TTL_SECONDS;
    const leaseId = `${req.namespace.path}${req.mount.path}creds/${name}/${randomBase62(24)}`;
    const lease = req.core.leases.create(leaseId, Math.min(ttl, maxTtl), maxTtl, req.token?.id);
    const display = (req.token?.displayName ?? 'token').slice(0, 8);
    const data = safeRecord();
    data.username =
      `v-${display}-${name.slice(0, 8)}-${randomBase62(20)}-${Math.floor(lease.issueTime / 1000)}`.slice(
        0,
        63,
      );
    data.password = `${randomBase62(16)}-${randomBytes(2).toString('hex')}`;
    return {
      data,
      leaseId: leaseId.slice(req.namespace.path.length),
      leaseDuration: lease.ttl,
      renewable: true,
    };
  }
}
