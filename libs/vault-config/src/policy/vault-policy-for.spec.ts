import { describe, expect, it } from '@jest/globals';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { policyOptionsOf } from './policy-options.interface.js';
import { policyRulesFor } from './policy-rules.js';
import { readPolicyOptions } from './read-policy-options.js';
import { policyFor, vaultPolicyFor } from './vault-policy-for.js';

const APPROLE = { method: 'approle', roleId: 'r', secretIdFile: '/run/secret-id' } as const;

const SHAPES: Record<string, VaultConfigOptions> = {
  kv: {
    env: 'prod',
    auth: { ...APPROLE, secretIdWrapped: true },
    refresh: { intervalMs: 60_000, useMetadata: true },
    sources: [
      { mount: 'secret', path: 'shared' },
      { mount: '/secret/', path: 'apps/{env}/', kv: 2 },
      { mount: 'legacy', path: 'app', kv: 1 },
    ],
  },
  database: {
    auth: APPROLE,
    revokeOnShutdown: true,
    sources: [
      { type: 'dynamic', mount: 'database', path: 'creds/app' },
      { type: 'static', mount: 'database', role: 'st-{env}' },
    ],
  },
  pki: {
    auth: { method: 'token', token: 't' },
    revokeOnShutdown: true,
    renewToken: false,
    sources: [{ type: 'pki', mount: 'pki', role: 'web', commonName: 'a.example.com' }],
  },
};

const pathsOf = (o: VaultConfigOptions) =>
  policyRulesFor(readPolicyOptions(o, {})).map(r => `${r.path} ${r.capabilities.join(',')}`);

describe('vaultPolicyFor', () => {
  it('KV: data read per source, metadata only with useMetadata, v1 path read, {env} replaced', () => {
    expect(pathsOf(SHAPES.kv)).toEqual([
      'secret/data/shared read',
      'secret/metadata/shared read',
      'secret/data/apps/prod read',
      'secret/metadata/apps/prod read',
      'legacy/app read',
      'auth/token/lookup-self read',
      'auth/token/renew-self update',
    ]);
    const noMetadata = { ...SHAPES.kv, refresh: { intervalMs: 60_000 } };
    expect(pathsOf(noMetadata).filter(p => p.includes('/metadata/'))).toEqual([]);
  });

  it('dynamic and static: creds read, lease renewal, revocations only with revokeOnShutdown', () => {
    expect(pathsOf(SHAPES.database)).toEqual([
      'database/creds/app read',
      'database/static-creds/st-development read',
      'sys/leases/renew update',
      'sys/leases/revoke update',
      'auth/token/lookup-self read',
      'auth/token/renew-self update',
      'auth/token/revoke-self update',
    ]);
    const kept = pathsOf({ ...SHAPES.database, revokeOnShutdown: false });
    expect(kept.filter(p => p.includes('revoke'))).toEqual([]);
  });

  it('PKI: issue, revoke with revokeOnShutdown; a given token is never revoked nor renewed here', () => {
    expect(pathsOf(SHAPES.pki)).toEqual([
      'pki/issue/web update',
      'pki/revoke update',
      'auth/token/lookup-self read',
    ]);
  });

  it('reads the same paths as the module: the lean reader agrees with the full validation', () => {
    for (const options of Object.values(SHAPES)) {
      const full = policyOptionsOf(
        validateVaultConfigOptions({ ...options, address: 'http://v:8200' }, {}),
      );
      expect(readPolicyOptions(options, {})).toEqual(full);
    }
  });

  it('prints HCL with comments naming the option, no wildcard, nothing for logins or unwrapping', () => {
    const hcl = vaultPolicyFor(SHAPES.kv);
    expect(hcl).toContain(
      '# sources[2] (KV v1): reads it at boot and every refresh (boot)\npath "legacy/app" {\n  capabilities = ["read"]\n}',
    );
    expect(hcl).toContain('sys/internal/ui/mounts/<mount>');
    expect(hcl).toContain('sys/wrapping/unwrap');
    expect(hcl).not.toMatch(/^path "[^"]*[*+]/m);
    expect(hcl).not.toMatch(/^path "(auth\/approle|sys\/wrapping|sys\/health|sys\/internal)/m);
    expect(hcl).toContain('{env} in source paths: prod.');
  });

  it('several environments: one block per environment, options labelled', () => {
    const per = ['staging', 'prod'].map(env => readPolicyOptions({ ...SHAPES.kv, env }, {}));
    const { hcl, rules } = policyFor(per, 'billing');
    expect(rules.map(r => r.path)).toContain('secret/data/apps/staging');
    expect(rules.map(r => r.path)).toContain('secret/data/apps/prod');
    expect(hcl).toContain('sources[1] (env staging) (KV v2)');
    expect(hcl).toContain('vault policy write billing');
  });

  it('a path that would be a wildcard or end the HCL string is refused, not printed', () => {
    for (const path of ['app/*', 'a+b', 'x"\n  capabilities = ["sudo"]\npath "y', 'a\\b']) {
      let thrown: unknown;
      try {
        vaultPolicyFor({ sources: [{ mount: 'secret', path }] });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(VaultConfigOptionsError);
      expect((thrown as Error).message).toContain('sources[0].path holds a character');
    }
    expect(() => vaultPolicyFor({ sources: [{ mount: 'se*', path: 'a' }] })).toThrow(
      'sources[0].mount holds a character',
    );
  });

  it('enabled: false needs no rule', () => {
    expect(pathsOf({ ...SHAPES.kv, enabled: false })).toEqual([]);
  });

  it('wrong options fail with the typed error naming each option, never a value', () => {
    const bad = {
      env: '../x',
      revokeOnShutdown: 'yes',
      sources: [
        { mount: 'secret', path: 'a/{ENV}' },
        { type: 'pki', mount: '', role: 'r' },
      ],
    } as unknown as VaultConfigOptions;
    let thrown: unknown;
    try {
      vaultPolicyFor(bad);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VaultConfigOptionsError);
    const message = (thrown as Error).message;
    for (const option of ['env', 'revokeOnShutdown', 'sources[0].path', 'sources[1].mount']) {
      expect(message).toContain(option);
    }
    expect(message).not.toContain('../x');
  });
});
