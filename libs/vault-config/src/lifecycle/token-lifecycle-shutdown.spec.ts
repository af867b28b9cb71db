/**
 * TokenLifecycle at shutdown while a login is on its way (a re-login near the max TTL, or after a
 * 403): the token that login brings back is revoked too, and nothing logs in after stop().
 */
import { describe, expect } from '@jest/globals';
import type { VaultBody } from '../client/vault-server-fixture.spec-helpers.js';
import { Fixture, sleep } from './token-lifecycle.spec-helpers.js';
import { fixtureTest } from '../utils/fixture-test.spec-helpers.js';

const LOGIN = 'POST /v1/auth/approle/login';

/** Accessors of the live tokens of the AppRole `app` (its logins), as an operator would list them. */
async function appRoleTokens(v: Fixture): Promise<string[]> {
  const list = await v.root.request({ method: 'LIST', path: 'auth/token/accessors' });
  const found: string[] = [];
  for (const accessor of ((list.body as VaultBody).data?.keys ?? []) as string[]) {
    const res = await v.call('POST', 'auth/token/lookup-accessor', { accessor });
    if ((res.data?.meta as Record<string, string> | null)?.role_name === 'app')
      found.push(accessor);
  }
  return found;
}

const test = fixtureTest(() => Fixture.start());

describe('TokenLifecycle: shutdown during a login (real HTTP, in-memory Vault)', () => {
  test('revoke() waits for the login under way and revokes the token it brought', async v => {
    const { auth, client } = await v.loggedIn('1h', '1h');
    const lifecycle = v.lifecycle(client, auth);
    const bootToken = await v.accessorOf(client);
    v.server.faults.inject({ path: '/v1/auth/approle/login', latencyMs: 300, times: 1 });
    const login = lifecycle.reauthenticate();
    await sleep(50); // the login request is at Vault, its answer 250 ms away
    lifecycle.stop();
    await lifecycle.revoke();
    await login;
    expect(v.requests(LOGIN)).toBe(2);
    // Left: the boot login's token, replaced by the new one before the shutdown (it runs out).
    expect(await appRoleTokens(v)).toEqual([bootToken]);
    expect(client.hasToken()).toBe(false);
  });

  test('after stop() nothing logs in: a late 403 or timer does not open a new session', async v => {
    const { auth, client } = await v.loggedIn('1h', '1h');
    const lifecycle = v.lifecycle(client, auth);
    lifecycle.stop();
    await lifecycle.revoke();
    await lifecycle.reauthenticate();
    expect(v.requests(LOGIN)).toBe(1);
    expect(await appRoleTokens(v)).toEqual([]);
  });
});
