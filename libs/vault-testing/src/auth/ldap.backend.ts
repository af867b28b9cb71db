import type { EngineRequest, SecretEngine } from '../engines/secret-engine.interface.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import { asText } from '../util/as-text.js';
import { safeRecord, type SafeRecord } from '../util/safe-object.js';
import { parseStringList, toBool } from './auth-params.js';
import { LdapDirectory } from './ldap-directory.js';
import {
  applyTokenFields,
  describeTokenFields,
  issueLoginToken,
  NO_TOKEN_FIELDS,
  type TokenFields,
} from './token-fields.js';

interface LdapConfig {
  fields: SafeRecord;
  denyNullBind: boolean;
  token: TokenFields;
}

const BIND_FAILED = 'ldap operation failed: failed to bind as user';
const CONFIG_FIELDS = [
  'url',
  'userdn',
  'userattr',
  'groupdn',
  'groupattr',
  'groupfilter',
  'binddn',
  'upndomain',
];

/**
 * The `ldap` auth method against a stand-in directory (LdapDirectory): a login binds as the user;
 * its policies are the config's, the user's own and those of its groups (`groups/<name>`), from
 * the directory and from `users/<name>`. Error strings are Vault's.
 */
export class LdapBackend implements SecretEngine {
  readonly directory = new LdapDirectory();
  private config: LdapConfig | undefined;
  private readonly groups = new Map<string, string[]>();
  private readonly users = new Map<string, { groups: string[]; policies: string[] }>();

  isUnauthenticated(path: string): boolean {
    return path.startsWith('login/');
  }

  handle(req: EngineRequest): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const path = req.path.replace(/\/$/, '');
    const login = /^login\/([^/]+)$/.exec(path);
    if (login) {
      if (!write) throw new VaultHttpError(405, ['unsupported operation']);
      return this.login(req, login[1]);
    }
    if (path === 'config') {
      if (op === 'read') {
        if (!this.config) throw VaultHttpError.notFound();
        return { data: describeConfig(this.config) };
      }
      if (!write) throw VaultHttpError.unsupportedOperation();
      this.writeConfig(req.body);
      return NO_CONTENT;
    }
    const m = /^(groups|users|test-directory\/users)(?:\/([^/]+))?$/.exec(path);
    if (!m) throw VaultHttpError.unsupportedPath();
    const [, kind, rawName] = m;
    if (rawName === undefined) {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      const keys =
        kind === 'groups'
          ? [...this.groups.keys()]
          : kind === 'users'
            ? [...this.users.keys()]
            : this.directory.names();
      if (!keys.length) throw VaultHttpError.notFound();
      return { data: { keys: keys.sort() } };
    }
    const name = rawName.toLowerCase();
    if (kind === 'test-directory/users') {
      if (write) this.directory.put(name, req.body);
      else if (op === 'delete') this.directory.remove(name);
      else throw VaultHttpError.unsupportedOperation();
      return NO_CONTENT;
    }
    return kind === 'groups' ? this.groupRoute(req, name) : this.userRoute(req, name);
  }

  writeConfig(body: SafeRecord): void {
    const fields = safeRecord();
    for (const key of CONFIG_FIELDS) {
      const value = body[key] ?? this.config?.fields[key];
      if (value !== undefined) fields[key] = asText(value);
    }
    this.config = {
      fields,
      denyNullBind:
        body.deny_null_bind === undefined
          ? (this.config?.denyNullBind ?? true)
          : toBool(body.deny_null_bind, 'deny_null_bind'),
      token: applyTokenFields(this.config?.token ?? NO_TOKEN_FIELDS, body),
    };
  }

  writeGroup(name: string, body: SafeRecord): void {
    this.groups.set(
      name.toLowerCase(),
      parseStringList(body.policies ?? body.token_policies) ?? [],
    );
  }

  writeUser(name: string, body: SafeRecord): void {
    this.users.set(name.toLowerCase(), {
      groups: parseStringList(body.groups) ?? [],
      policies: parseStringList(body.policies) ?? [],
    });
  }

  private groupRoute(req: EngineRequest, name: string): VaultResult {
    if (req.operation === 'read') {
      const policies = this.groups.get(name);
      if (!policies) throw VaultHttpError.notFound();
      return { data: { policies: [...policies] } };
    }
    if (req.operation === 'delete') this.groups.delete(name);
    else this.writeGroup(name, req.body);
    return NO_CONTENT;
  }

  private userRoute(req: EngineRequest, name: string): VaultResult {
    if (req.operation === 'read') {
      const user = this.users.get(name);
      if (!user) throw VaultHttpError.notFound();
      return { data: { groups: user.groups.join(','), policies: [...user.policies] } };
    }
    if (req.operation === 'delete') this.users.delete(name);
    else this.writeUser(name, req.body);
    return NO_CONTENT;
  }

  private login(req: EngineRequest, rawName: string): VaultResult {
    const config = this.config;
    if (!config) throw VaultHttpError.badRequest('ldap backend not configured');
    const password = typeof req.body.password === 'string' ? req.body.password : '';
    if (config.denyNullBind && password === '') {
      throw VaultHttpError.badRequest(
        'password cannot be of zero length when passwordless binds are being denied',
      );
    }
    const username = rawName.toLowerCase();
    const directoryGroups = this.directory.bind(username, password);
    if (!directoryGroups) throw VaultHttpError.badRequest(BIND_FAILED);
    const local = this.users.get(username);
    const groupNames = [
      ...new Set([...directoryGroups, ...(local?.groups ?? [])].map(g => g.toLowerCase())),
    ];
    const groupPolicies = groupNames.flatMap(g => this.groups.get(g) ?? []);
    return issueLoginToken(req, config.token, {
      metadata: { username },
      name: username,
      extraPolicies: [...(local?.policies ?? []), ...groupPolicies],
    });
  }
}

function describeConfig(c: LdapConfig) {
  const f = c.fields;
  const text = (key: string, fallback = '') => (typeof f[key] === 'string' ? f[key] : fallback);
  return {
    binddn: text('binddn'),
    deny_null_bind: c.denyNullBind,
    groupattr: text('groupattr', 'cn'),
    groupdn: text('groupdn'),
    groupfilter: text(
      'groupfilter',
      '(|(memberUid={{.Username}})(member={{.UserDN}})(uniqueMember={{.UserDN}}))',
    ),
    upndomain: text('upndomain'),
    url: text('url', 'ldap://127.0.0.1'),
    userattr: text('userattr', 'cn'),
    userdn: text('userdn'),
    ...describeTokenFields(c.token),
  };
}
