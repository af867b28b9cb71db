import type { EngineRequest, SecretEngine } from '../engines/secret-engine.interface.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { SafeRecord } from '../util/safe-object.js';
import { StoredPassword } from './password-check.js';
import {
  applyTokenFields,
  describeTokenFields,
  issueLoginToken,
  NO_TOKEN_FIELDS,
  sanitizePolicies,
  type TokenFields,
} from './token-fields.js';

interface UserpassUser {
  password: StoredPassword;
  token: TokenFields;
}

const INVALID = 'invalid username or password';

/**
 * The `userpass` auth method: users (names lower-cased, as Vault does) with a password and token
 * fields; `login/<username>` checks the password. Reads never show a password.
 */
export class UserpassBackend implements SecretEngine {
  private readonly users = new Map<string, UserpassUser>();

  isUnauthenticated(path: string): boolean {
    return path.startsWith('login/');
  }

  exists(req: EngineRequest): boolean {
    const m = /^users\/([^/]+)$/.exec(req.path);
    return m ? this.users.has(m[1].toLowerCase()) : true;
  }

  handle(req: EngineRequest): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const path = req.path.replace(/\/$/, '');
    const login = /^login\/([^/]+)$/.exec(path);
    if (login) {
      if (!write) throw new VaultHttpError(405, ['unsupported operation']);
      return this.login(req, login[1].toLowerCase());
    }
    if (path === 'users') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      if (!this.users.size) throw VaultHttpError.notFound();
      return { data: { keys: [...this.users.keys()].sort() } };
    }
    const m = /^users\/([^/]+)(?:\/(password|policies))?$/.exec(path);
    if (!m) throw VaultHttpError.unsupportedPath();
    const name = m[1].toLowerCase();
    const user = this.users.get(name);
    if (m[2] !== undefined) {
      if (!write) throw VaultHttpError.unsupportedOperation();
      if (!user) throw VaultHttpError.badRequest('username does not exist');
      if (m[2] === 'password') this.setPassword(user, req.body.password);
      else {
        const policies = sanitizePolicies(req.body.token_policies ?? req.body.policies) ?? [];
        user.token = { ...user.token, policies };
      }
      return NO_CONTENT;
    }
    if (op === 'read') {
      if (!user) throw VaultHttpError.notFound();
      return { data: describeTokenFields(user.token) };
    }
    if (write) {
      this.writeUser(name, req.body);
      return NO_CONTENT;
    }
    if (op === 'delete') {
      this.users.delete(name);
      return NO_CONTENT;
    }
    throw VaultHttpError.unsupportedOperation();
  }

  /** Creates or updates a user (used by the API and by seeds). */
  writeUser(rawName: string, body: SafeRecord): void {
    const name = rawName.toLowerCase();
    const existing = this.users.get(name);
    const password = body.password;
    if (!existing && (typeof password !== 'string' || password === '')) {
      throw VaultHttpError.badRequest('must provide either password or password_hash');
    }
    const user: UserpassUser = {
      password: existing?.password ?? new StoredPassword(String(password)),
      token: applyTokenFields(existing?.token ?? NO_TOKEN_FIELDS, body),
    };
    if (existing && password !== undefined) this.setPassword(user, password);
    this.users.set(name, user);
  }

  private setPassword(user: UserpassUser, password: unknown): void {
    if (typeof password !== 'string' || password === '') {
      throw VaultHttpError.badRequest('missing password');
    }
    user.password = new StoredPassword(password);
  }

  private login(req: EngineRequest, username: string): VaultResult {
    const password = req.body.password;
    // Vault answers an empty password with a 500 (an error, not an error response).
    if (typeof password !== 'string' || password === '') {
      throw new VaultHttpError(500, ['missing password']);
    }
    const user = this.users.get(username);
    if (!user || !user.password.matches(password)) throw VaultHttpError.badRequest(INVALID);
    return issueLoginToken(req, user.token, { metadata: { username }, name: username });
  }
}
