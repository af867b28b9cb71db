import { VaultHttpError } from '../http/vault-http.error.js';
import type { SafeRecord } from '../util/safe-object.js';
import { parseStringList } from './auth-params.js';
import { StoredPassword } from './password-check.js';

interface DirectoryUser {
  password: StoredPassword;
  groups: string[];
}

/**
 * What an LDAP server would hold for the `ldap` auth method: users who can bind with a password,
 * and the groups each belongs to. Test-server only: filled through
 * `auth/<mount>/test-directory/users/<name>` `{ password, groups }` or the seed.
 */
export class LdapDirectory {
  private readonly users = new Map<string, DirectoryUser>();

  put(name: string, body: SafeRecord): void {
    const password = body.password;
    if (typeof password !== 'string' || password === '') {
      throw VaultHttpError.badRequest('a directory user needs a password');
    }
    this.users.set(name.toLowerCase(), {
      password: new StoredPassword(password),
      groups: parseStringList(body.groups) ?? [],
    });
  }

  remove(name: string): void {
    this.users.delete(name.toLowerCase());
  }

  names(): string[] {
    return [...this.users.keys()].sort();
  }

  /** The user's directory groups when the password binds, else undefined. */
  bind(name: string, password: string): string[] | undefined {
    const user = this.users.get(name.toLowerCase());
    return user?.password.matches(password) ? [...user.groups] : undefined;
  }
}
