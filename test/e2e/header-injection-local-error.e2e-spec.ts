/**
 * A token or namespace holding a line break (issue 21, item 8): Node refuses such a header, which
 * used to become a retried "Vault unavailable" and, with onUnavailable: 'fallback', a boot from
 * defaults though no request left the process. It is a local mistake: an options error naming the
 * option (never the value) when the options hold it, a typed auth error when a token file does,
 * never a fallback, and nothing sent.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  loadVaultSecrets,
  VaultAuthError,
  VaultConfigError,
  VaultConfigOptionsError,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { CapturingLogger } from '../support/module-support.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describe('header values with a line break are a local error (memory)', () => {
  let target: VaultTarget;
  const dir = mkdtempSync(join(tmpdir(), 'header-crlf-'));
  const bad = `${canary('crlf-token')}\r\nX-Injected: ${canary('crlf-header')}`;
  const logger = new CapturingLogger();
  const outputs: string[] = [];

  beforeAll(async () => {
    target = await startTarget('memory');
  });
  afterAll(async () => {
    expectNoCanary([...outputs, ...logger.lines], bad.split(/\r\n/));
    rmSync(dir, { recursive: true, force: true });
    await target?.stop();
  });

  const failure = async (
    options: VaultConfigOptions,
    env: NodeJS.ProcessEnv = {},
  ): Promise<VaultConfigError> => {
    const error = await loadVaultSecrets(options, { env, logger }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultConfigError);
    const e = error as VaultConfigError;
    outputs.push(e.message, String(e.stack), inspect(e), JSON.stringify(e));
    return e;
  };
  const base = (more: Partial<VaultConfigOptions>): VaultConfigOptions => ({
    address: target.url,
    sources: [{ mount: 'secret', path: 'crlf/app' }],
    onUnavailable: 'fallback',
    ...more,
  });

  it('auth.token, VAULT_TOKEN and namespace: an options error naming the option', async () => {
    const fromOption = await failure(base({ auth: { method: 'token', token: bad } }));
    expect(fromOption).toBeInstanceOf(VaultConfigOptionsError);
    expect((fromOption as VaultConfigOptionsError).option).toBe('auth.token');
    const fromEnv = await failure(base({}), { VAULT_TOKEN: bad });
    expect((fromEnv as VaultConfigOptionsError).option).toBe('auth.token (from VAULT_TOKEN)');
    const namespace = await failure(
      base({ namespace: 'team-a\r\nX-Injected: 1', auth: { method: 'token', token: 'hvs.x' } }),
    );
    expect((namespace as VaultConfigOptionsError).option).toBe('namespace');
    expect(namespace.message).toContain('line break');
  });

  it('a token file with a line break inside: a typed auth error, no fallback, nothing sent', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, `${bad}\n`, { mode: 0o600 });
    target.memory?.resetStats();
    const error = await failure(base({ auth: { method: 'tokenFile', path: file } }));
    expect(error).toBeInstanceOf(VaultAuthError);
    expect(error.message).toContain('line break');
    expect(target.memory?.stats().total).toBe(0);
  });
});
