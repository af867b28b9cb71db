/** loadVaultSecrets: every error and fallback (and node-vault's), never showing a planted value. */
import 'reflect-metadata';
import { expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import nodeVault from 'node-vault';
import {
  loadVaultSecrets,
  MissingSecretsError,
  nodeVaultTransport,
  VaultAuthError,
  VaultPermissionError,
  VaultSecretNotFoundError,
  VaultUnavailableError,
} from 'nestjs-vault-config';
import {
  BillingSecrets,
  CANARY,
  describeEachTarget,
  loaderSuite,
} from '../support/loader-vault-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { freePort, type TargetKind, type VaultTarget } from '../support/vault-target.js';

describeEachTarget('loadVaultSecrets against %s', kind => {
  let target: VaultTarget;
  let leastPrivilegeToken: string;
  let roleId: string;
  let secretId: string;
  const { logger, seen, base, rejectionOf } = loaderSuite(kind as TargetKind, fixture => {
    ({ target, leastPrivilegeToken, roleId, secretId } = fixture);
  });

  it('rejects a wrong AppRole secret id with VaultAuthError', async () => {
    const err = await rejectionOf(
      loadVaultSecrets(
        base({ auth: { method: 'approle', roleId, secretId: CANARY.token }, sources: [] }),
      ),
    );
    expect(err).toBeInstanceOf(VaultAuthError);
    expect(err.message).toMatch(/approle authentication failed/);
  });

  it('reports schema failures by property and constraint name only', async () => {
    const err = await rejectionOf(
      loadVaultSecrets(
        base({
          sources: [{ mount: 'legacy', path: 'billing' }],
          schema: BillingSecrets,
          envFallback: true,
        }),
        { env: { PORT: '99999', DATABASE_URL: `${CANARY.env} is not a url` } },
      ),
    );
    expect(err).toBeInstanceOf(MissingSecretsError);
    const e = err as MissingSecretsError;
    expect(e.missing.map(m => m.key)).toEqual(['JWT_SECRET']);
    expect(e.invalid).toEqual([
      { key: 'DATABASE_URL', constraints: ['isUrl'], source: 'env DATABASE_URL' },
      { key: 'PORT', constraints: ['max'], source: 'env PORT' },
    ]);
  });

  it('fails with VaultSecretNotFoundError naming a missing required source', async () => {
    const err = await rejectionOf(
      loadVaultSecrets(
        base({ sources: [{ mount: 'secret', path: 'apps/nope/{env}' }], env: 'prod' }),
      ),
    );
    expect(err).toBeInstanceOf(VaultSecretNotFoundError);
    expect(err.message).toContain('"secret/apps/nope/prod"');
    expect((err as VaultSecretNotFoundError).lookedAt).toEqual(['secret/data/apps/nope/prod']);
  });

  it('fails with VaultPermissionError naming the path and capability', async () => {
    const err = await rejectionOf(
      loadVaultSecrets(
        base({
          auth: { method: 'token', token: leastPrivilegeToken },
          sources: [
            { mount: 'secret', path: 'shared' },
            { mount: 'secret', path: 'apps/other/test' },
          ],
        }),
      ),
    );
    expect(err).toBeInstanceOf(VaultPermissionError);
    expect(err.message).toContain('"secret/data/apps/other/test"');
    expect(err.message).toContain("'read'");
  });

  it('reports a bad token as rejected (not as a policy problem), naming where it came from', async () => {
    const err = await rejectionOf(
      loadVaultSecrets(
        base({
          auth: { method: 'token', token: CANARY.token },
          sources: [{ mount: 'secret', path: 'shared', kv: 2 }],
        }),
      ),
    );
    expect(err).toBeInstanceOf(VaultAuthError);
    expect(err.message).toMatch(
      /token rejected: Vault does not accept the token given in auth\.token/,
    );
  });

  it('fails with VaultUnavailableError naming the address and code when Vault is unreachable', async () => {
    const address = `http://127.0.0.1:${await freePort()}`;
    const err = await rejectionOf(
      loadVaultSecrets(
        base({
          address,
          auth: { method: 'token', token: CANARY.token },
          sources: [{ mount: 'secret', path: 'x' }],
        }),
      ),
    );
    expect(err).toBeInstanceOf(VaultUnavailableError);
    expect(err.message).toContain(address);
    expect((err as VaultUnavailableError).errorCode).toBe('ECONNREFUSED');
    expect((err as VaultUnavailableError).attempts).toBe(2);
  });

  it("boots from env and defaults with onUnavailable: 'fallback', saying so in one warning", async () => {
    const address = `http://127.0.0.1:${await freePort()}`;
    const fallbackLogger = new CapturingLogger();
    const snapshot = await loadVaultSecrets(
      base({
        address,
        onUnavailable: 'fallback',
        envFallback: true,
        sources: [{ mount: 'secret', path: 'shared' }],
        required: ['JWT_SECRET'],
        defaults: { LOG_LEVEL: 'info' },
      }),
      { logger: fallbackLogger, env: { JWT_SECRET: CANARY.env } },
    );
    seen.push(snapshot);
    logger.lines.push(...fallbackLogger.lines);
    expect(snapshot.summary).toMatchObject({
      mode: 'fallback',
      fromVault: 0,
      fromEnv: 1,
      fromDefaults: 1,
    });
    expect(fallbackLogger.lines).toEqual([`warn ${snapshot.summary.startupLogLine}`]);
    expect(snapshot.summary.startupLogLine).toContain('ECONNREFUSED');
    expect(snapshot.summary.startupLogLine).toContain('FALLBACK');
  });

  it('never falls back when permission is denied or a required key is missing', async () => {
    const denied = await rejectionOf(
      loadVaultSecrets(
        base({
          onUnavailable: 'fallback',
          auth: { method: 'token', token: leastPrivilegeToken },
          sources: [{ mount: 'secret', path: 'apps/other/test' }],
        }),
      ),
    );
    expect(denied).toBeInstanceOf(VaultPermissionError);
    const address = `http://127.0.0.1:${await freePort()}`;
    const missing = await rejectionOf(
      loadVaultSecrets(
        base({
          address,
          onUnavailable: 'fallback',
          sources: [{ mount: 'secret', path: 'shared' }],
          required: ['JWT_SECRET'],
        }),
      ),
    );
    expect(missing).toBeInstanceOf(MissingSecretsError);
    expect(missing.message).toContain('secret/shared (not read: Vault unavailable)');
  });

  it('loads through a node-vault client with nodeVaultTransport', async () => {
    const client = nodeVault({ endpoint: target.url, token: leastPrivilegeToken });
    const snapshot = await loadVaultSecrets({
      transport: nodeVaultTransport(client),
      sources: [
        { mount: 'secret', path: 'apps/billing/test' },
        { mount: 'legacy', path: 'billing' },
      ],
      envFallback: false,
    });
    seen.push(snapshot);
    expect(snapshot.get('JWT_SECRET')).toBe(CANARY.jwt);
    expect(snapshot.get('SMTP_PASSWORD')).toBe(CANARY.smtp);
  });

  it("keeps the node-vault client's own token: VAULT_TOKEN replaces it only through auth", async () => {
    const client = nodeVault({ endpoint: target.url, token: leastPrivilegeToken });
    const sources = [{ mount: 'secret', path: 'apps/billing/test' }];
    const env = { VAULT_TOKEN: CANARY.token }; // a stale token left in the shell
    const snapshot = await loadVaultSecrets(
      { transport: nodeVaultTransport(client), sources, envFallback: false },
      { env },
    );
    seen.push(snapshot);
    expect(snapshot.get('JWT_SECRET')).toBe(CANARY.jwt);
    const denied = await rejectionOf(
      loadVaultSecrets(
        { transport: nodeVaultTransport(client), auth: { method: 'token' }, sources },
        { env },
      ),
    );
    expect(denied).toBeInstanceOf(VaultAuthError);
    expect(denied.message).toMatch(/the token in VAULT_TOKEN/);
  });

  it('does not leak the token from a node-vault network error', async () => {
    const client = nodeVault({
      endpoint: `http://127.0.0.1:${await freePort()}`,
      token: CANARY.token,
    });
    const err = await rejectionOf(
      loadVaultSecrets({
        transport: nodeVaultTransport(client),
        retry: { attempts: 1 },
        sources: [{ mount: 'secret', path: 'apps/billing/test', kv: 2 }],
      }),
    );
    expect(err).toBeInstanceOf(VaultUnavailableError);
    expect((err as VaultUnavailableError).errorCode).toBe('ECONNREFUSED');
  });

  it('never shows a canary value or token in logs, errors or snapshots', () => {
    expect(seen.length).toBeGreaterThan(10);
    const texts = [
      ...logger.lines,
      ...seen.flatMap(x => [
        String((x as Error)?.message ?? ''),
        String((x as Error)?.stack ?? ''),
        inspect(x, { depth: 10, showHidden: true }),
        JSON.stringify(x) ?? '',
        String(x),
      ]),
    ];
    for (const canary of [...Object.values(CANARY), roleId, secretId, leastPrivilegeToken]) {
      for (const text of texts) expect(text).not.toContain(canary);
    }
  });
});
