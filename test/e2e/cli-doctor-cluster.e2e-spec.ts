/**
 * `vault-config doctor` with several addresses (repeatable `--address`, or an `address` list in
 * `--config`), against three in-memory test servers standing in for the nodes of a cluster: one
 * row per address (active, standby, sealed, unreachable), each node asked on its own; the checks
 * after them go through the failover the module uses.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { canary } from '../support/canary.js';
import { cli, plantedInCliOutput, tempDir } from '../support/cli-support.js';

const { canaries, tokens } = plantedInCliOutput();

interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix: string;
}

describe('vault-config doctor, several addresses (three test servers)', () => {
  const token = canary('doctor-cluster-token');
  const value = canary('doctor-cluster-value');
  tokens.push(token);
  canaries.push(value);
  let nodes: VaultTestServer[];
  let cwd: string;
  let cleanup: () => void;

  beforeAll(async () => {
    ({ dir: cwd, cleanup } = tempDir());
    nodes = await Promise.all(
      [0, 1, 2].map(() =>
        VaultTestServer.start({
          seed: {
            secrets: { 'secret/apps/doctor': { K: value } },
            tokens: [{ id: token, ttl: '1h', policies: ['root'] }],
          },
        }),
      ),
    );
  });
  beforeEach(async () => {
    for (const n of nodes) {
      n.unseal();
      n.setHealthMode('active');
      const up = await fetch(`${n.url}/v1/sys/health`).then(
        r => r.arrayBuffer().then(() => true),
        () => false,
      );
      if (!up) await n.restart();
    }
  });
  afterAll(async () => {
    cleanup?.();
    await Promise.all(nodes.map(n => n.stop()));
  });

  const addressFlags = () => nodes.flatMap(n => ['--address', n.url]);
  const doctor = async (args: string[], env: NodeJS.ProcessEnv = { VAULT_TOKEN: token }) => {
    const r = await cli(['doctor', ...args, '--json'], { env, cwd });
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    return { code: r.code, ...report, rows: report.checks.map(c => [c.check, c.status]) };
  };

  it('one row per address: unreachable, standby and active; the rest goes through the failover', async () => {
    await nodes[0].stop();
    nodes[1].setHealthMode('standby');
    for (const n of nodes) n.resetStats();
    const r = await doctor([...addressFlags(), '--path', 'apps/doctor']);
    expect(r.rows).toEqual([
      ['address[0]', 'warn'],
      ['address[1]', 'ok'],
      ['address[2]', 'ok'],
      ['tls', 'ok'],
      ['auth', 'ok'],
      ['token ttl', expect.any(String)],
      ['read secret/apps/doctor', 'ok'],
      ['write secret/apps/doctor', 'ok'],
    ]);
    expect(r.checks[0]).toEqual({
      check: 'address[0]',
      status: 'warn',
      detail: `${nodes[0].url} unreachable (ECONNREFUSED)`,
      fix: `check address[0] (${nodes[0].url}), that Vault runs there and that the network lets you through`,
    });
    expect(r.checks[1].detail).toMatch(
      new RegExp(`^${nodes[1].url} standby, unsealed \\(HTTP 429, version [^)]+\\)$`),
    );
    expect(r.checks[2].detail).toMatch(new RegExp(`^${nodes[2].url} active, unsealed`));
    expect(r.code).toBe(0);
    // After the rows, the module's failover: node 0 refused, node 1 (a standby serves) answers.
    const lookups = nodes.map(n => n.stats().byRoute['GET /v1/auth/token/lookup-self'] ?? 0);
    expect(lookups[1]).toBeGreaterThan(0);
    expect(lookups[2]).toBe(0);
  });

  it('fails when no address can be used, and checks nothing after it', async () => {
    await nodes[0].stop();
    nodes[1].seal();
    await nodes[2].stop();
    const r = await doctor(addressFlags());
    expect(r.rows).toEqual([
      ['address[0]', 'fail'],
      ['address[1]', 'fail'],
      ['address[2]', 'fail'],
      ['tls', 'ok'],
      ['auth', 'fail'],
    ]);
    expect(r.checks[1]).toMatchObject({ detail: `${nodes[1].url} is sealed` });
    expect(r.code).toBe(1);
  });

  it('warns on the standbys when no listed node answers as active', async () => {
    nodes[0].setHealthMode('standby');
    nodes[1].setHealthMode('standby');
    await nodes[2].stop();
    const r = await doctor(addressFlags());
    expect(r.rows.slice(0, 3)).toEqual([
      ['address[0]', 'warn'],
      ['address[1]', 'warn'],
      ['address[2]', 'warn'],
    ]);
    expect(r.checks[0].fix).toMatch(/^no listed node answers as active: a leader election/);
    expect(r.code).toBe(0);
  });

  it('reads the list from --config; --address wins over it and over VAULT_ADDR', async () => {
    writeFileSync(join(cwd, 'vault.json'), JSON.stringify({ address: nodes.map(n => n.url) }));
    const fromConfig = await doctor(['--config', 'vault.json'], {
      VAULT_TOKEN: token,
      VAULT_ADDR: 'http://127.0.0.1:1',
    });
    expect(fromConfig.rows.slice(0, 3).map(([name]) => name)).toEqual([
      'address[0]',
      'address[1]',
      'address[2]',
    ]);
    const one = await doctor(['--config', 'vault.json', '--address', nodes[2].url]);
    expect(one.checks[0]).toMatchObject({ check: 'address', status: 'ok' });
    expect(one.checks[0].detail).toMatch(new RegExp(`^${nodes[2].url} reachable`));
  });

  it('the tls row judges the weakest address: plain http off loopback is a warning', async () => {
    writeFileSync(join(cwd, 'fast.json'), JSON.stringify({ timeoutMs: 500 }));
    const offLoopback = 'http://vault.invalid:8200';
    const r = await doctor([
      '--config',
      'fast.json',
      '--address',
      nodes[0].url,
      '--address',
      offLoopback,
    ]);
    expect(r.checks[1]).toMatchObject({ check: 'address[1]', status: 'warn' });
    expect(r.checks[2]).toMatchObject({
      check: 'tls',
      status: 'warn',
      detail: 'plain http: the token and the secrets cross the network unencrypted',
    });
  });

  it('refuses a bad --address by its index, and documents the flag in --help', async () => {
    const r = await doctor(['--address', nodes[0].url, '--address', 'ftp://x']);
    expect(r.checks).toEqual([
      expect.objectContaining({
        check: 'options',
        status: 'fail',
        detail: expect.stringContaining('address[1] must be an http:// or https:// URL'),
      }),
    ]);
    const help = await cli(['doctor', '--help'], { env: {}, cwd });
    expect(help.stdout).toMatch(
      /--address <url> +a Vault address \(repeatable: the nodes of one cluster/,
    );
  });
});
