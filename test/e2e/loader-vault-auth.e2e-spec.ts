/** loadVaultSecrets: the ways it logs in — env, token file, AppRole, Kubernetes. */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVaultSecrets, VaultAuthError } from 'nestjs-vault-config';
import { afterAll, expect, it } from '@jest/globals';
import { KubernetesApiStandIn } from '../support/kubernetes-api.stand-in.js';
import { CANARY, describeEachTarget, loaderSuite } from '../support/loader-vault-support.js';
import { vaultRequest, type TargetKind, type VaultTarget } from '../support/vault-target.js';

describeEachTarget('loadVaultSecrets against %s', kind => {
  let target: VaultTarget;
  let leastPrivilegeToken: string;
  let roleId: string;
  let secretId: string;
  let tmp: string;
  const afterAllStop: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(afterAllStop.map(stop => stop()));
  });
  const { logger, seen, base, rejectionOf } = loaderSuite(kind as TargetKind, fixture => {
    ({ target, leastPrivilegeToken, roleId, secretId, tmp } = fixture);
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

  it('logs in with Kubernetes auth using a service account token file', async () => {
    // A stand-in Kubernetes API answers the TokenReview the server makes (memory and OpenBao alike).
    const k8s = await KubernetesApiStandIn.start();
    afterAllStop.push(() => k8s.stop());
    const ok = async (path: string, body: unknown) => {
      const res = await vaultRequest(target, 'POST', path, body);
      expect(res.status).toBeLessThan(300);
    };
    await ok('sys/auth/kubernetes', { type: 'kubernetes' });
    await ok('auth/kubernetes/config', k8s.vaultConfig());
    await ok('auth/kubernetes/role/billing', {
      bound_service_account_names: ['billing-sa'],
      bound_service_account_namespaces: ['billing'],
      token_policies: ['billing-read'],
    });
    const jwt = (name: string) => k8s.serviceAccountToken({ namespace: 'billing', name });
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
});
