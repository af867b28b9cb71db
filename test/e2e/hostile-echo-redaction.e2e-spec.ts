/**
 * A misbehaving Vault or proxy that echoes the request's credentials in its `errors` (issue 21,
 * item 6): the token and the body's values are cut out of every server string before anything
 * shortens it, on every path (a denial, an exhausted retry, a fallback's log line), not only at
 * login and unwrap. Memory target: the echo is an injected fault.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import {
  loadVaultSecrets,
  VaultConfigError,
  VaultPermissionError,
  VaultUnavailableError,
} from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { rootCall } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describe('server strings that echo the request (memory)', () => {
  let target: VaultTarget;
  const token = `${canary('echoed-token')}-${'t'.repeat(240)}`;
  const logger = new CapturingLogger();
  const outputs: string[] = [];

  beforeAll(async () => {
    target = await startTarget('memory');
    await rootCall(target, 'POST', 'auth/token/create', { id: token, policies: ['default'] });
  });
  afterEach(() => target.memory?.faults.clear());
  afterAll(async () => {
    expectNoCanary([...outputs, ...logger.lines], [token, token.slice(0, 40)]);
    await target?.stop();
  });

  const failure = async (promise: Promise<unknown>): Promise<VaultConfigError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultConfigError);
    const e = error as VaultConfigError;
    outputs.push(e.message, String(e.stack), inspect(e, { depth: 10 }), JSON.stringify(e));
    return e;
  };
  const base = {
    auth: { method: 'token' as const, token },
    sources: [{ mount: 'secret', path: 'echo/app', kv: 2 as const }],
    retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 5 },
  };

  it('a 403 that quotes the (long) token: the denial shows it cut out, whole', async () => {
    target.memory?.faults.inject({
      path: '/v1/secret/data/echo/app',
      status: 403,
      body: { errors: [`permission denied for ${token}`] },
    });
    const error = await failure(loadVaultSecrets({ ...base, address: target.url }, { logger }));
    expect(error).toBeInstanceOf(VaultPermissionError);
    expect((error as VaultPermissionError).vaultErrors).toEqual([
      'permission denied for [REDACTED]',
    ]);
  });

  it('a 500 that quotes the token, exhausted and then logged by the fallback', async () => {
    target.memory?.faults.inject({
      path: '/v1/secret/data/echo/app',
      status: 500,
      body: { errors: [`upstream said X-Vault-Token: ${token}`] },
    });
    const error = await failure(loadVaultSecrets({ ...base, address: target.url }, { logger }));
    expect(error).toBeInstanceOf(VaultUnavailableError);
    expect((error as VaultUnavailableError).vaultErrors).toEqual([
      'upstream said X-Vault-Token: [REDACTED]',
    ]);
    const before = logger.lines.length;
    const snapshot = await loadVaultSecrets(
      { ...base, address: target.url, onUnavailable: 'fallback', envFallback: false },
      { logger },
    );
    outputs.push(inspect(snapshot), JSON.stringify(snapshot));
    expect(logger.lines.slice(before).join('\n')).toContain('HTTP_500');
  });
});
