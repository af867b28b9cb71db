import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, PERMISSION_DENIED_BODY } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const SEED_FILE = resolve('seed/demo.seed.json');
const INIT_SCRIPT = resolve('docker/vault-init.mjs');
const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8')) as {
  secrets: Record<string, Record<string, string>>;
  auth: { approle: { roles: { demo: { role_id: string; secret_id: string } } } };
  tokens: { id: string }[];
};
const demoRole = seed.auth.approle.roles.demo;
const demoToken = seed.tokens[0].id;

/** Every string the init script must never print. */
function radioactive(): string[] {
  const values = Object.values(seed.secrets).flatMap(s => Object.values(s));
  return [...values, demoRole.role_id, demoRole.secret_id, demoToken];
}

async function runInit(t: VaultTarget, auditFile?: string): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [INIT_SCRIPT], {
    env: {
      PATH: process.env.PATH,
      VAULT_ADDR: t.url,
      VAULT_TOKEN: t.rootToken,
      SEED_FILE,
      ...(auditFile ? { AUDIT_FILE: auditFile } : {}),
      VAULT_INIT_WAIT_S: '10',
    },
    timeout: 30_000,
  });
  return stdout + stderr;
}

/**
 * The same seed applied two ways — docker/vault-init.mjs over HTTP to a real server, the seed
 * option of the memory server — must answer the demo's reads identically.
 */
describeTargets('seed parity (seed/demo.seed.json)', kind => {
  let t: VaultTarget;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seed-parity-'));
    t = await startTarget(kind, { seed: SEED_FILE });
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  if (kind !== 'memory') {
    it('applies the seed with docker/vault-init.mjs, idempotently, printing no secret', async () => {
      const auditFile = kind === 'bao' ? join(dir, 'audit.log') : undefined;
      const first = await runInit(t, auditFile);
      expect(first).toContain('approle role demo written');
      expect(first).toContain('vault-init: done');
      const second = await runInit(t, auditFile);
      expect(second).toContain('already up to date');
      expect(second).toContain('token #1 (policies: demo-read) already exists');
      for (const secret of radioactive()) {
        expect(first).not.toContain(secret);
        expect(second).not.toContain(secret);
      }
      if (auditFile)
        expect(existsSync(auditFile) && readFileSync(auditFile, 'utf8').length).toBeGreaterThan(0);
    });

    it('fails with a clear message and exit code 1 on a bad root token', async () => {
      const err = await runInit({ ...t, rootToken: 'wrong-token' }).catch(
        e => e as { code: number; stderr: string },
      );
      expect(err).toMatchObject({ code: 1 });
      expect((err as { stderr: string }).stderr).toContain(
        'vault-init: failed: GET sys/mounts failed (403)',
      );
    });
  }

  async function expectDemoReads(token: string): Promise<void> {
    const dev = await call(t, 'GET', 'secret/data/apps/demo/development', { token });
    expect(dev.status).toBe(200);
    expect(dev.body.data.data).toEqual(seed.secrets['secret/apps/demo/development']);
    expect(dev.body.data.metadata.version).toBe(1);
    const shared = await call(t, 'GET', 'secret/data/shared', { token });
    expect(shared.body.data.data).toEqual(seed.secrets['secret/shared']);
    const legacy = await call(t, 'GET', 'legacy/demo', { token });
    expect(legacy.status).toBe(200);
    expect(legacy.body.data).toEqual(seed.secrets['legacy/demo']);
    expect(legacy.body.lease_duration).toBe(2764800);
    const meta = await call(t, 'GET', 'secret/metadata/apps/demo/production', { token });
    expect(meta.status).toBe(200);
    expect(meta.body.data.current_version).toBe(1);
    const detect = await call(t, 'GET', 'sys/internal/ui/mounts/secret/apps/demo', { token });
    expect(detect.body.data).toMatchObject({
      path: 'secret/',
      type: 'kv',
      options: { version: '2' },
    });
    const detectLegacy = await call(t, 'GET', 'sys/internal/ui/mounts/legacy', { token });
    expect(detectLegacy.body.data).toMatchObject({
      path: 'legacy/',
      type: 'kv',
      options: { version: '1' },
    });
    const denied = await call(t, 'GET', 'secret/data/other-app', { token });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual(PERMISSION_DENIED_BODY);
    const write = await call(t, 'POST', 'secret/data/apps/demo/development', {
      token,
      body: { data: { x: 1 } },
    });
    expect(write.status).toBe(403);
  }

  it('serves the demo reads to the seeded demo token', async () => {
    const self = await call(t, 'GET', 'auth/token/lookup-self', { token: demoToken });
    expect(self.status).toBe(200);
    expect(self.body.data.policies).toEqual(['default', 'demo-read']);
    expect(self.body.data.ttl).toBeGreaterThan(86_000);
    expect(self.body.data.ttl).toBeLessThanOrEqual(86_400);
    await expectDemoReads(demoToken);
  });

  it('logs the demo app in with the fixed AppRole credentials and serves the same reads', async () => {
    const login = await call(t, 'POST', 'auth/approle/login', {
      token: null,
      body: { role_id: demoRole.role_id, secret_id: demoRole.secret_id },
    });
    expect(login.status).toBe(200);
    expect(login.body.auth).toMatchObject({
      policies: ['default', 'demo-read'],
      token_policies: ['default', 'demo-read'],
      metadata: { role_name: 'demo' },
      lease_duration: 3600,
      renewable: true,
    });
    await expectDemoReads(login.body.auth.client_token as string);
  });
});
