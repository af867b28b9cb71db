/**
 * VaultConfigModule with username and password: `userpass` against the test server and OpenBao,
 * `ldap` against the test server's stand-in directory (OpenBao has no LDAP plugin). The password
 * file is read again at the login after the max TTL (the password was rotated meanwhile), a wrong
 * password is refused with Vault's reason, and no password, secret or token is ever printed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsService, VaultAuthError } from 'nestjs-vault-config';
import { canary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { rootCall } from '../support/lifecycle-support.js';
import { LoginSuite, readPolicyHcl } from '../support/login-e2e.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

const cases = selectedTargets().flatMap(kind => [
  ['userpass', kind] as const,
  ...(kind === 'memory' ? [['ldap', kind] as const] : []),
]);

describe.each(cases)('%s auth through VaultConfigModule (%s)', (method, kind) => {
  let target: VaultTarget;
  const secret = canary(`${method}-secret`);
  const passwords = [canary('pw-first'), canary('pw-rotated'), canary('pw-wrong')];
  const dir = mkdtempSync(join(tmpdir(), `${method}-e2e-`));
  const passwordFile = join(dir, 'password');
  const suite = new LoginSuite(() => ({
    address: target.url,
    auth: { method, username: 'billing-svc', passwordFile },
    sources: [{ mount: 'secret', path: `login-${method}/app` }],
    healthCacheMs: 100,
  }));
  /** Sets the password Vault (userpass) or the directory (ldap) accepts. */
  const setPassword = (password: string) =>
    method === 'userpass'
      ? rootCall(target, 'POST', 'auth/userpass/users/billing-svc/password', { password })
      : rootCall(target, 'POST', 'auth/ldap/test-directory/users/billing-svc', {
          password,
          groups: ['billing'],
        });

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, `login-${method}/app`, { APP_SECRET: secret });
    await rootCall(target, 'PUT', `sys/policies/acl/login-${method}`, {
      policy: readPolicyHcl(`login-${method}`),
    });
    await rootCall(target, 'POST', `sys/auth/${method}`, { type: method });
    const tokenFields = { token_ttl: '4s', token_max_ttl: '6s' };
    if (method === 'userpass') {
      await rootCall(target, 'POST', 'auth/userpass/users/billing-svc', {
        password: passwords[0],
        token_policies: [`login-${method}`],
        ...tokenFields,
      });
    } else {
      await rootCall(target, 'POST', 'auth/ldap/config', {
        url: 'ldap://directory.test',
        ...tokenFields,
      });
      await rootCall(target, 'POST', 'auth/ldap/groups/billing', { policies: [`login-${method}`] });
      await setPassword(passwords[0]);
    }
  });
  afterAll(async () => {
    await suite.finish([secret, ...passwords], async () => {
      rmSync(dir, { recursive: true, force: true });
      await target?.stop();
    });
  });

  it('logs in, renews, and logs in again after the max TTL with the rotated password file', async () => {
    writeFileSync(passwordFile, `${passwords[0]}\n`);
    const app = await suite.boot({});
    expect(app.get(SecretsService).get('APP_SECRET')).toBe(secret);
    expect((await suite.health(app)).status).toBe(200);
    await setPassword(passwords[1]);
    writeFileSync(passwordFile, `${passwords[1]}\n`);
    await suite.expectRenewalThenRelogin(app, method, 'APP_SECRET', secret);
  });

  it('a wrong password is refused at boot with Vault’s reason, never the password', async () => {
    const error = await suite.bootFailure({
      auth: { method, username: 'billing-svc', password: passwords[2] },
    });
    expect(error).toBeInstanceOf(VaultAuthError);
    expect(error.message).toMatch(
      method === 'userpass'
        ? /^Vault userpass authentication failed: Vault answered 400 at auth\/userpass\/login\/billing-svc; .*\(invalid username or password\)\.$/
        : /^Vault ldap authentication failed: Vault answered 400 at auth\/ldap\/login\/billing-svc; .*\(ldap operation failed: failed to bind as user\)\.$/,
    );
  });
});
