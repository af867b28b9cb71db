/**
 * An unclaimed prefetch leaves nothing alive. `VaultConfigModule.forRoot` starts its read when the
 * module object is built; a test that overrides VAULT_CONFIG_OPTIONS never claims it. The prefetch
 * issues no certificate (PKI, like dynamic sources, waits for the claim) and its AppRole login token
 * is revoked once the app is built from the other options. A claimed module still issues its
 * certificate. On the test server and on OpenBao.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SecretsService, VAULT_CONFIG_OPTIONS, VaultConfigModule } from 'nestjs-vault-config';
import { describeTargets, writeKv2 } from '../support/contract-helpers.js';
import { eventually, rootCall, sleep, tokensWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { configurePki } from '../support/pki-engine.js';
import { startTarget, vaultRequest, type VaultTarget } from '../support/vault-target.js';

const POLICY = 'prefetch-unclaimed';

const appOf = (imports: unknown[]): Type<unknown> => {
  @Module({ imports: imports as never[] })
  class AppModule {}
  return AppModule;
};

describeTargets('an unclaimed prefetch of VaultConfigModule.forRoot', kind => {
  let target: VaultTarget;
  let roleId: string;
  let secretId: string;
  const logger = new CapturingLogger();

  /** Serials of every certificate the pki mount issued (its CA included). */
  const certificates = async (): Promise<string[]> => {
    const res = await vaultRequest(target, 'LIST', 'pki/certs');
    return ((res.body as { data?: { keys?: string[] } })?.data?.keys ?? []).slice().sort();
  };

  beforeAll(async () => {
    target = await startTarget(kind);
    await configurePki(target, {
      mount: 'pki',
      role: 'web',
      roleBody: { allowed_domains: ['example.com'], allow_subdomains: true, max_ttl: '1h' },
    });
    await writeKv2(target, 'prefetch-unclaimed/app', { OTHER_VALUE: 'from-the-override' });
    await rootCall(target, 'PUT', `sys/policies/acl/${POLICY}`, {
      policy:
        'path "pki/issue/web" { capabilities = ["update"] }\n' +
        'path "pki/revoke" { capabilities = ["update"] }\n' +
        'path "secret/data/prefetch-unclaimed/*" { capabilities = ["read"] }\n',
    });
    const auths = (await rootCall(target, 'GET', 'sys/auth')) as Record<string, unknown>;
    if (!('approle/' in ((auths.data ?? auths) as Record<string, unknown>))) {
      await rootCall(target, 'POST', 'sys/auth/approle', { type: 'approle' });
    }
    const role = 'auth/approle/role/prefetch-unclaimed';
    await rootCall(target, 'POST', role, { token_policies: [POLICY], token_ttl: '1h' });
    roleId = (await rootCall(target, 'GET', `${role}/role-id`))!.data!.role_id as string;
    secretId = (await rootCall(target, 'POST', `${role}/secret-id`, {}))!.data!.secret_id as string;
  }, 60_000);
  afterAll(async () => {
    await target?.stop();
  });

  const pkiModule = () =>
    VaultConfigModule.forRoot({
      address: target.url,
      auth: { method: 'approle', roleId, secretId },
      sources: [
        { type: 'pki', mount: 'pki', role: 'web', commonName: 'api.example.com', prefix: 'TLS_' },
      ],
      envFallback: false,
      revokeOnShutdown: true,
    });

  it('overridden: no certificate issued, its login token revoked', async () => {
    const before = await certificates();
    const module = pkiModule(); // the prefetch logs in now
    const override = await vaultRequest(target, 'POST', 'auth/token/create', {
      policies: [POLICY],
      ttl: '10m',
    });
    const overrideToken = (override.body as { auth: { client_token: string } }).auth.client_token;
    // Give the prefetch time to log in (and, before the fix, to issue its certificate).
    const loggedIn = async () => (await tokensWithPolicy(target, POLICY)).length >= 2;
    expect(await eventually(loggedIn, 10_000)).toBe(true);
    await sleep(500);

    const app = await Test.createTestingModule({ imports: [appOf([module])] })
      .overrideProvider(VAULT_CONFIG_OPTIONS)
      .useValue({
        address: target.url,
        auth: { method: 'token', token: overrideToken },
        sources: [{ mount: 'secret', path: 'prefetch-unclaimed/app' }],
        envFallback: false,
      })
      .setLogger(logger)
      .compile()
      .then(m => m.init());
    expect(app.get(SecretsService).get('OTHER_VALUE')).toBe('from-the-override');
    await app.close();

    // Only the override's token (created by root) is left with the policy: the prefetch's is gone.
    expect(
      await eventually(async () => (await tokensWithPolicy(target, POLICY)).length === 1, 10_000),
    ).toBe(true);
    expect(await certificates()).toEqual(before);
    await rootCall(target, 'POST', 'auth/token/revoke', { token: overrideToken });
  });

  it('claimed: the certificate is issued at the claim; the login token is revoked at shutdown', async () => {
    const before = await certificates();
    const tokensBefore = (await tokensWithPolicy(target, POLICY)).length;
    const app = await Test.createTestingModule({ imports: [appOf([pkiModule()])] })
      .setLogger(logger)
      .compile()
      .then(m => m.init());
    expect(app.get(SecretsService).get('TLS_CERTIFICATE')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect((await certificates()).length).toBe(before.length + 1);
    await app.close();
    expect(
      await eventually(
        async () => (await tokensWithPolicy(target, POLICY)).length === tokensBefore,
        10_000,
      ),
    ).toBe(true);
  });
});
