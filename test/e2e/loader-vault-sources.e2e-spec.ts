/** loadVaultSecrets: what one load reads — sources, precedence, values, schema, namespace. */
import 'reflect-metadata';
import { expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import {
  loadVaultSecrets,
  MissingSecretsError,
  VaultSecretNotFoundError,
} from 'nestjs-vault-config';
import {
  BillingSecrets,
  CANARY,
  describeEachTarget,
  loaderSuite,
} from '../support/loader-vault-support.js';
import type { TargetKind } from '../support/vault-target.js';

describeEachTarget('loadVaultSecrets against %s', kind => {
  let namespaceSupported = false;
  const { logger, seen, base, rejectionOf } = loaderSuite(kind as TargetKind, fixture => {
    ({ namespaceSupported } = fixture);
  });

  it('reads KV v2 and KV v1 in one load with precedence: later source > earlier > env > defaults', async () => {
    const snapshot = await loadVaultSecrets(
      base({
        env: 'test',
        sources: [
          { mount: 'secret', path: 'shared' },
          { mount: 'legacy', path: 'billing' },
          { mount: 'secret', path: 'apps/billing/{env}' },
          { mount: 'secret', path: 'apps/billing/missing', required: false },
        ],
        envFallback: { aliases: { FROM_ALIAS: ['LEGACY_NAME'] } },
        defaults: { LOG_LEVEL: 'info', PORT: 3000, ONLY_DEFAULT: 'd', FROM_ENV: 'default-loses' },
        required: ['DATABASE_URL', 'JWT_SECRET', 'FROM_ENV', 'FROM_ALIAS'],
      }),
      {
        logger,
        env: {
          FROM_ENV: CANARY.env,
          LEGACY_NAME: 'aliased',
          LOG_LEVEL: 'env-loses-to-vault',
          UNDECLARED: 'never-read',
        },
      },
    );
    seen.push(snapshot);
    expect(snapshot.get('OVERRIDE_ME')).toBe('from-app');
    expect(snapshot.get('SMTP_PASSWORD')).toBe(CANARY.smtp);
    expect(snapshot.get('JWT_SECRET')).toBe(CANARY.jwt);
    expect(snapshot.get('LOG_LEVEL')).toBe('debug');
    expect(snapshot.get('FROM_ENV')).toBe(CANARY.env);
    expect(snapshot.get('FROM_ALIAS')).toBe('aliased');
    expect(snapshot.get('PORT')).toBe('3000');
    expect(snapshot.get('ONLY_DEFAULT')).toBe('d');
    expect(snapshot.has('UNDECLARED')).toBe(false);
    // value rule: numbers/booleans → String, objects → JSON, null → unset
    expect(snapshot.get('NUM')).toBe('42');
    expect(snapshot.get('BOOL')).toBe('true');
    expect(snapshot.get('OBJ')).toBe('{"a":[1,2]}');
    expect(snapshot.has('NUL')).toBe(false);
    // odd keys are plain data
    expect(snapshot.get('__proto__')).toBe('{"polluted":"yes"}');
    expect(snapshot.get('constructor')).toBe('ctor');
    expect(snapshot.get('a.b')).toBe('dotted');
    const config = snapshot.toConfigObject();
    expect(Object.getPrototypeOf(config)).toBeNull();
    expect(Object.keys(config)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const byKey = new Map(snapshot.describe().map(d => [d.key, d]));
    expect(byKey.get('OVERRIDE_ME')).toEqual({
      key: 'OVERRIDE_ME',
      source: 'vault',
      mount: 'secret',
      path: 'apps/billing/test',
      kvVersion: 2,
      version: 2,
    });
    expect(byKey.get('SMTP_PASSWORD')).toMatchObject({
      source: 'vault',
      mount: 'legacy',
      kvVersion: 1,
    });
    expect(byKey.get('SMTP_PASSWORD')?.version).toBeUndefined();
    expect(byKey.get('FROM_ALIAS')).toEqual({
      key: 'FROM_ALIAS',
      source: 'env',
      envVar: 'LEGACY_NAME',
    });
    expect(byKey.get('PORT')).toEqual({ key: 'PORT', source: 'default' });
    for (const d of snapshot.describe()) expect(Object.keys(d)).not.toContain('value');

    const s = snapshot.summary;
    expect(s).toMatchObject({
      mode: 'vault',
      authMethod: 'token',
      sources: 3,
      fromEnv: 2,
      fromDefaults: 2,
    });
    expect(s.keys).toBe(s.fromVault + s.fromEnv + s.fromDefaults);
    expect(s.startupLogLine).toMatch(
      new RegExp(
        `^Loaded ${s.keys} secrets \\(${s.fromVault} vault, 2 env, 2 default\\) from 3 sources in \\d+ ms via token$`,
      ),
    );
    expect(logger.lines).toContain(`log ${s.startupLogLine}`);
    expect(inspect(snapshot)).toBe(`[SecretSnapshot: ${s.keys} keys]`);
    expect(JSON.stringify({ snapshot })).toBe(`{"snapshot":"[SecretSnapshot: ${s.keys} keys]"}`);
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- what is tested
    expect(`${snapshot}`).toBe(`[SecretSnapshot: ${s.keys} keys]`);
  });

  it('converts and validates with a class-validator schema', async () => {
    const snapshot = await loadVaultSecrets<{ PORT: number; JWT_SECRET: string }>(
      base({
        sources: [{ mount: 'secret', path: 'apps/billing/test' }],
        schema: BillingSecrets,
        envFallback: true,
      }),
      { env: { PORT: '8080' } },
    );
    seen.push(snapshot);
    expect(snapshot.get('PORT')).toBe(8080);
    expect(snapshot.get('JWT_SECRET')).toBe(CANARY.jwt);
  });

  it('boots from env and defaults only with enabled: false', async () => {
    const snapshot = await loadVaultSecrets(
      { enabled: false, defaults: { A: 1 }, required: ['B'] },
      { logger, env: { B: 'b' } },
    );
    expect(snapshot.summary).toMatchObject({ mode: 'disabled', authMethod: 'none', keys: 2 });
    expect(snapshot.summary.startupLogLine).toMatch(/^Vault disabled/);
  });

  it('reads from a namespace', async () => {
    if (!namespaceSupported) {
      console.warn(`${kind}: namespaces not supported, skipped`);
      return;
    }
    const snapshot = await loadVaultSecrets(
      base({ namespace: 'team-a', sources: [{ mount: 'secret', path: 'app' }] }),
    );
    seen.push(snapshot);
    expect(snapshot.get('NS_SECRET')).toBe(CANARY.ns);
    expect(snapshot.describe()[0]).toMatchObject({ kvVersion: 2, version: 1 });
    const outside = await rejectionOf(
      loadVaultSecrets(base({ sources: [{ mount: 'secret', path: 'app' }] })),
    );
    expect(outside).toBeInstanceOf(VaultSecretNotFoundError);
  });

  it('counts [VAULT] as unset and lists every missing key with where it was looked for, never a value', async () => {
    const err = await rejectionOf(
      loadVaultSecrets(
        base({
          env: 'test',
          sources: [
            { mount: 'secret', path: 'shared' },
            { mount: 'secret', path: 'apps/billing/{env}' },
          ],
          envFallback: { aliases: { PLACEHOLDER: ['PLACEHOLDER_OLD'] } },
          required: ['DATABASE_URL', 'PLACEHOLDER', 'ALSO_MISSING'],
        }),
        { logger, env: { PLACEHOLDER: '[VAULT]', DATABASE_URL: CANARY.env } },
      ),
    );
    expect(err).toBeInstanceOf(MissingSecretsError);
    const missing = (err as MissingSecretsError).missing;
    expect(missing.map(m => m.key)).toEqual(['PLACEHOLDER', 'ALSO_MISSING']);
    expect(missing[0].lookedIn).toEqual([
      'secret/shared (kv2)',
      'secret/apps/billing/test (kv2)',
      'env PLACEHOLDER|PLACEHOLDER_OLD',
    ]);
    expect(err.message).toContain(
      'PLACEHOLDER (looked in secret/shared (kv2), secret/apps/billing/test (kv2), env PLACEHOLDER|PLACEHOLDER_OLD)',
    );
    expect(err.message).toContain('ALSO_MISSING');
  });
});
