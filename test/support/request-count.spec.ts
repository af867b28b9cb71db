import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { requestCount, UnknownRouteError } from './request-count.js';
import { startTarget, vaultRequest, type VaultTarget } from './vault-target.js';

describe('requestCount', () => {
  let target: VaultTarget;
  beforeAll(async () => {
    target = await startTarget('memory');
  });
  afterAll(async () => target?.stop());

  it('counts requests to a route by the server’s own key', async () => {
    target.memory!.resetStats();
    await vaultRequest(target, 'GET', 'auth/token/lookup-self');
    await vaultRequest(target, 'GET', 'auth/token/lookup-self');
    expect(await requestCount(target, 'GET', '/v1/auth/token/lookup-self')).toBe(2);
    // The probe of the previous call is counted after it.
    expect(await requestCount(target, 'GET', '/v1/auth/token/lookup-self')).toBe(3);
  });

  it('throws on a key that cannot match (no /v1 prefix) and on a route the server lacks', async () => {
    await expect(requestCount(target, 'GET', 'auth/token/lookup-self')).rejects.toThrow(
      UnknownRouteError,
    );
    await expect(requestCount(target, 'GET', '/v1/auth/token/lookup-slef')).rejects.toThrow(
      'the server has no route GET /v1/auth/token/lookup-slef',
    );
    await expect(requestCount(target, 'GET', '/v1/nomount/x')).rejects.toThrow(UnknownRouteError);
  });
});
