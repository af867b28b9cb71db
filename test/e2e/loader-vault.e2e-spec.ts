import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import nodeVault from 'node-vault';
import { IsInt, IsString, IsUrl, Max } from 'class-validator';
import {
  loadVaultSecrets,
  MissingSecretsError,
  nodeVaultTransport,
  VaultAuthError,
  VaultConfigError,
  VaultPermissionError,
  VaultSecretNotFoundError,
  VaultUnavailableError,
  type LoggerLike,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import {
  freePort,
  selectedTargets,
  startTarget,
  vaultRequest,
  type TargetKind,
  type VaultTarget,
} from '../support/vault-target.js';

const CANARY = {
  db: 'canary-db-url-7f3a9c',
  jwt: 'canary-jwt-secret-1b2d4e',
  smtp: 'canary-smtp-password-5e6f',
  ns: 'canary-namespace-secret-0a0b',
  env: 'canary-env-value-9z8y',
  token: 'canary-token-hvs.Q1W2E3R4',
};

class CapturingLogger implements LoggerLike {
  readonly lines: string[] = [];
  log(m: string) {
    this.lines.push(`log ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  error(m: string) {
    this.lines.push(`error ${m}`);
  }
  debug(m: string) {
    this.lines.push(`debug ${m}`);
  }
}

class BillingSecrets {
  @IsUrl({ require_tld: false, protocols: ['postgres'] })
  DATABASE_URL!: string;
  @IsString()
  JWT_SECRET!: string;
  @IsInt()
  @Max(65535)
  PORT!: number;
}

const targets = selectedTargets();
const describeTargets = targets.length ? describe.each(targets) : describe.skip.each(['none']);

describeTargets('loadVaultSecrets against %s', kind => {
  let target: VaultTarget;
  let leastPrivilegeToken: string;
  let roleId: string;
  let secretId: string;
  let namespaceSupported = false;
  let tmp: string;
  const logger = new CapturingLogger();
  const seen: unknown[] = []; // every error and snapshot, scanned for canaries at the end
  const base = (extra: Partial<VaultConfigOptions> = {}): VaultConfigOptions => ({
    address: target.url,
    auth: { method: 'token', token: target.rootToken },
    retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 5 },
    envFallback: false,
    ...extra,
  });
  const rejectionOf = async (p: Promise<unknown>): Promise<VaultConfigError> => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    seen.push(error);
    expect(error).toBeInstanceOf(VaultConfigError);
    return error as VaultConfigError;
  };

  beforeAll(async () => {
    target = await startTarget(kind as TargetKind);
    tmp = mkdtempSync(join(tmpdir(), 'vault-loader-'));
    const ok = async (
      method: string,
      path: string,
      body?: unknown,
      headers?: Record<string, string>,
    ) => {
      const res = await vaultRequest(target, method, path, body, headers);
      if (res.status >= 300)
        throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { data?: Record<string, unknown>; auth?: { client_token: string } };
    };
    await ok('POST', 'sys/mounts/legacy', { type: 'kv', options: { version: '1' } });
    await ok('POST', 'secret/data/shared', {
      data: JSON.parse(
        '{"LOG_LEVEL":"debug","OVERRIDE_ME":"from-shared","NUM":42,"BOOL":true,"OBJ":{"a":[1,2]},' +
          '"NUL":null,"__proto__":{"polluted":"yes"},"constructor":"ctor","a.b":"dotted"}',
      ),
    });
    await ok('POST', 'secret/data/apps/billing/test', {
      data: {
        DATABASE_URL: `postgres://u:${CANARY.db}@db:5432/x`,
        OVERRIDE_ME: 'from-app',
        JWT_SECRET: CANARY.jwt,
      },
    });
    await ok('POST', 'secret/data/apps/billing/test', {
      data: {
        DATABASE_URL: `postgres://u:${CANARY.db}@db:5432/x`,
        OVERRIDE_ME: 'from-app',
        JWT_SECRET: CANARY.jwt,
      },
    });
    await ok('PUT', 'legacy/billing', { SMTP_PASSWORD: CANARY.smtp, OVERRIDE_ME: 'from-legacy' });
    await ok('PUT', 'sys/policies/acl/billing-read', {
      policy:
        'path "secret/data/shared" { capabilities = ["read"] }\n' +
        'path "secret/data/apps/billing/*" { capabilities = ["read"] }\n' +
        'path "legacy/billing" { capabilities = ["read"] }\n',
    });
    leastPrivilegeToken = (await ok('POST', 'auth/token/create', { policies: ['billing-read'] }))
      .auth!.client_token;
    await ok('POST', 'sys/auth/approle', { type: 'approle' });
    await ok('POST', 'auth/approle/role/billing', {
      token_policies: ['billing-read'],
      token_ttl: '1h',
    });
    roleId = (await ok('GET', 'auth/approle/role/billing/role-id')).data!.role_id as string;
    secretId = (await ok('POST', 'auth/approle/role/billing/secret-id', {})).data!
      .secret_id as string;
    const ns = await vaultRequest(target, 'POST', 'sys/namespaces/team-a');
    if (ns.status < 300) {
      const h = { 'X-Vault-Namespace': 'team-a' };
      await ok('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } }, h);
      await ok('POST', 'secret/data/app', { data: { NS_SECRET: CANARY.ns } }, h);
      namespaceSupported = true;
    }
  });

  afterAll(async () => {
    await target?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
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
    expect(`${snapshot}`).toBe(`[SecretSnapshot: ${s.keys} keys]`);
  });

  it('uses VAULT_ADDR and VAULT_TOKEN from the environment when options leave them out', async () => {
    const snapshot = await loadVaultSecrets(
      { sources: [{ mount: 'secret', path: 'apps/billing/{env}' }] },
      { env: { VAULT_ADDR: target.url, VAULT_TOKEN: leastPrivilegeToken, NODE_ENV: 'test' } },
    );
    seen.push(snapshot);
    expect(snapshot.get('JWT_SECRET')).toBe(CANARY.jwt);
  });

  it('authenticates with a token file', async () => {
    const file = join(tmp, 'token');
    writeFileSync(file, `${leastPrivilegeToken}\n`);
    const snapshot = await loadVaultSecrets(
      base({
        auth: { method: 'tokenFile', path: file },
        sources: [{ mount: 'legacy', path: 'billing' }],
      }),
    );
    seen.push(snapshot);
    expect(snapshot.get('SMTP_PASSWORD')).toBe(CANARY.smtp);
  });

  it('logs in with AppRole (least privilege) and reads v1 + v2 with KV detection', async () => {
    const secretIdFile = join(tmp, 'secret-id');
    writeFileSync(secretIdFile, secretId);
    const snapshot = await loadVaultSecrets(
      base({
        auth: { method: 'approle', roleId, secretIdFile },
        sources: [
          { mount: 'secret', path: 'shared', keys: ['LOG_LEVEL'] },
          { mount: 'legacy', path: 'billing', prefix: 'MAIL_' },
          { mount: 'secret', path: 'apps/billing/test' },
        ],
      }),
      { logger },
    );
    seen.push(snapshot);
    expect(snapshot.keys().sort()).toEqual(
      [
        'DATABASE_URL',
        'JWT_SECRET',
        'LOG_LEVEL',
        'MAIL_OVERRIDE_ME',
        'MAIL_SMTP_PASSWORD',
        'OVERRIDE_ME',
      ].sort(),
    );
    expect(snapshot.summary.authMethod).toBe('approle');
    expect(snapshot.summary.startupLogLine).toMatch(/via approle$/);
  });

  it('logs in with Kubernetes auth using a service account token file (memory only)', async () => {
    if (kind !== 'memory') return; // a real server would need a Kubernetes API to review the JWT
    const ok = async (path: string, body: unknown) => {
      const res = await vaultRequest(target, 'POST', path, body);
      expect(res.status).toBeLessThan(300);
    };
    await ok('sys/auth/kubernetes', { type: 'kubernetes' });
    await ok('auth/kubernetes/config', { kubernetes_host: 'https://127.0.0.1:6443' });
    await ok('auth/kubernetes/role/billing', {
      bound_service_account_names: ['billing-sa'],
      bound_service_account_namespaces: ['billing'],
      token_policies: ['billing-read'],
    });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = (sa: string) =>
      `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({
        iss: 'kubernetes/serviceaccount',
        sub: `system:serviceaccount:billing:${sa}`,
        'kubernetes.io/serviceaccount/namespace': 'billing',
        'kubernetes.io/serviceaccount/service-account.name': sa,
      })}.c2ln`;
    const jwtFile = join(tmp, 'sa-token');
    writeFileSync(jwtFile, jwt('billing-sa'));
    const snapshot = await loadVaultSecrets(
      base({
        auth: { method: 'kubernetes', role: 'billing', jwtFile },
        sources: [{ mount: 'legacy', path: 'billing' }],
      }),
    );
    seen.push(snapshot);
    expect(snapshot.get('SMTP_PASSWORD')).toBe(CANARY.smtp);
    expect(snapshot.summary.authMethod).toBe('kubernetes');
    writeFileSync(jwtFile, jwt('other-sa'));
    const err = await rejectionOf(
      loadVaultSecrets(
        base({ auth: { method: 'kubernetes', role: 'billing', jwtFile }, sources: [] }),
      ),
    );
    expect(err).toBeInstanceOf(VaultAuthError);
    expect(err.message).toContain('denied the login at auth/kubernetes/login');
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
      { key: 'DATABASE_URL', constraints: ['isUrl'] },
      { key: 'PORT', constraints: ['max'] },
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

  it('treats a bad token as permission denied', async () => {
    const err = await rejectionOf(
      loadVaultSecrets(
        base({
          auth: { method: 'token', token: CANARY.token },
          sources: [{ mount: 'secret', path: 'shared', kv: 2 }],
        }),
      ),
    );
    expect(err).toBeInstanceOf(VaultPermissionError);
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
    expect(missing[0]!.lookedIn).toEqual([
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
