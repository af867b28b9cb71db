import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { VaultClient } from '../client/vault.client.js';
import { VaultAuthError } from '../errors/vault-auth.error.js';
import type {
  VaultRequest,
  VaultResponse,
  VaultTransport,
} from '../interfaces/vault-transport.interface.js';
import { SensitiveValue } from '../options/sensitive-value.js';
import { AppRoleAuth } from './approle.auth.js';

const NOT_VALID = { errors: ['wrapping token is not valid or does not exist'] };
const answer = (status: number, body: unknown): VaultResponse => ({ status, headers: {}, body });

/**
 * Vault's response wrapping in miniature: each wrapping token holds one secret ID, can be looked
 * up (without a token) and unwrapped once (as the request's token); the login takes the secret IDs
 * that were unwrapped.
 */
class WrappingVault implements VaultTransport {
  readonly sent: VaultRequest[] = [];
  readonly wrapped = new Map<string, { secretId: string; creationPath: string }>();

  wrap(token: string, secretId: string, creationPath = 'auth/approle/role/app/secret-id') {
    this.wrapped.set(token, { secretId, creationPath });
  }

  async request(req: VaultRequest): Promise<VaultResponse> {
    this.sent.push(req);
    const body = (req.body ?? {}) as Record<string, string>;
    if (req.path === 'sys/wrapping/lookup') {
      const entry = this.wrapped.get(body.token);
      if (!entry) return answer(400, NOT_VALID);
      return answer(200, { data: { creation_path: entry.creationPath, creation_ttl: 300 } });
    }
    if (req.path === 'sys/wrapping/unwrap') {
      const entry = this.wrapped.get(req.token ?? '');
      if (!entry) return answer(400, NOT_VALID);
      this.wrapped.delete(req.token ?? '');
      return answer(200, { data: { secret_id: entry.secretId, secret_id_accessor: 'acc' } });
    }
    if (req.path === 'auth/approle/login') {
      return answer(200, {
        auth: { client_token: `hvs.for-${body.secret_id}`, lease_duration: 60, renewable: true },
      });
    }
    return answer(404, { errors: [] });
  }

  paths() {
    return this.sent.map(r => r.path);
  }
}

const clientOn = (transport: VaultTransport) =>
  new VaultClient({ transport, retry: { attempts: 1 } });
const roleId = new SensitiveValue('role-id');

describe('AppRole with a wrapped secret ID', () => {
  const dir = mkdtempSync(join(tmpdir(), 'approle-wrapped-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('looks the wrapping token up, unwraps it once, and logs in with what it held', async () => {
    const vault = new WrappingVault();
    vault.wrap('hvs.wrapping-1', 'sid-1');
    const auth = new AppRoleAuth(
      roleId,
      new SensitiveValue('hvs.wrapping-1'),
      undefined,
      'approle',
      true,
    );
    const client = clientOn(vault);
    expect((await auth.authenticate(client)).client_token).toBe('hvs.for-sid-1');
    expect(vault.paths()).toEqual([
      'sys/wrapping/lookup',
      'sys/wrapping/unwrap',
      'auth/approle/login',
    ]);
    expect(vault.sent[0]).toMatchObject({ body: { token: 'hvs.wrapping-1' } });
    expect(vault.sent[0].token).toBeUndefined();
    expect(vault.sent[1]).toMatchObject({ token: 'hvs.wrapping-1', body: {} });
    expect(vault.sent[2].body).toEqual({ role_id: 'role-id', secret_id: 'sid-1' });
    // A later login (max TTL reached) uses the secret ID kept in memory: no unwrap again.
    await auth.authenticate(client);
    expect(vault.paths().slice(3)).toEqual(['auth/approle/login']);
    expect(inspect(auth, { depth: 5 })).not.toContain('sid-1');
    expect(JSON.stringify(auth)).not.toContain('sid-1');
  });

  it('a secretIdFile: the same token is not unwrapped again, a new one is, a removed file is fine', async () => {
    const vault = new WrappingVault();
    const file = join(dir, 'wrapped');
    vault.wrap('hvs.w-a', 'sid-a');
    vault.wrap('hvs.w-b', 'sid-b');
    writeFileSync(file, 'hvs.w-a\n');
    const auth = new AppRoleAuth(roleId, undefined, file, 'approle', true);
    const client = clientOn(vault);
    const logins = async () => (await auth.authenticate(client)).client_token;
    expect(await logins()).toBe('hvs.for-sid-a');
    expect(await logins()).toBe('hvs.for-sid-a');
    writeFileSync(file, 'hvs.w-b\n'); // the deployer delivered a new wrapped secret ID
    expect(await logins()).toBe('hvs.for-sid-b');
    unlinkSync(file);
    expect(await logins()).toBe('hvs.for-sid-b');
    expect(vault.paths().filter(p => p === 'sys/wrapping/unwrap')).toHaveLength(2);
  });

  it('a wrapping token someone else used: a VaultAuthError saying it may have been intercepted', async () => {
    const vault = new WrappingVault();
    vault.wrap('hvs.w-stolen', 'sid-stolen');
    const client = clientOn(vault);
    await client.unwrap('hvs.w-stolen', 'attacker'); // unwrapped by someone else first
    const auth = new AppRoleAuth(
      roleId,
      new SensitiveValue('hvs.w-stolen'),
      undefined,
      'approle',
      true,
    );
    const error = await auth.authenticate(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultAuthError);
    expect((error as VaultAuthError).status).toBe(400);
    expect((error as Error).message).toBe(
      'Vault approle authentication failed: the wrapping token of the secret ID was already used ' +
        'or has expired. If it had not expired, someone else unwrapped it first: the secret ID may ' +
        'have been intercepted. Issue a new wrapped secret ID, deliver it again, and find out who ' +
        'unwrapped the old one (wrapping token is not valid or does not exist).',
    );
    expect(vault.paths().at(-1)).toBe('sys/wrapping/lookup'); // no login was tried
    for (const text of [inspect(error), JSON.stringify(error)]) {
      expect(text).not.toContain('hvs.w-stolen');
    }
  });

  it('the same token used twice by the module: the unwrap itself reports the interception', async () => {
    const vault = new WrappingVault();
    vault.wrap('hvs.w-race', 'sid-race');
    // Lookup passes, then someone unwraps between our lookup and our unwrap.
    const racing: VaultTransport = {
      request: async req => {
        if (req.path === 'sys/wrapping/unwrap') vault.wrapped.delete('hvs.w-race');
        return vault.request(req);
      },
    };
    const auth = new AppRoleAuth(
      roleId,
      new SensitiveValue('hvs.w-race'),
      undefined,
      'approle',
      true,
    );
    const error = await auth.authenticate(clientOn(racing)).catch((e: unknown) => e);
    expect((error as Error).message).toContain('the secret ID may have been intercepted');
    expect(vault.paths()).toEqual(['sys/wrapping/lookup', 'sys/wrapping/unwrap']);
  });

  it('a wrapping token created elsewhere is refused before it is unwrapped', async () => {
    const vault = new WrappingVault();
    vault.wrap('hvs.w-other', 'not-a-secret-id', 'secret/data/anything');
    const auth = new AppRoleAuth(
      roleId,
      new SensitiveValue('hvs.w-other'),
      undefined,
      'approle',
      true,
    );
    const error = await auth.authenticate(clientOn(vault)).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Vault approle authentication failed: the wrapping token was created by ' +
        'secret/data/anything, not by auth/approle/role/<role>/secret-id: it is not unwrapped, ' +
        'since it may have been substituted. Issue a wrapped secret ID for the role and deliver ' +
        'it again.',
    );
    expect(vault.paths()).toEqual(['sys/wrapping/lookup']);
    expect(vault.wrapped.has('hvs.w-other')).toBe(true);
  });

  it('after a lost unwrap answer, the next try on the same client says so, not interception', async () => {
    const vault = new WrappingVault();
    vault.wrap('hvs.w-lost', 'sid-lost');
    // Unwraps (the token is used up), then the answer is lost as a proxy's 502.
    const lose = vault.request.bind(vault);
    let lost = false;
    vault.request = async req => {
      const res = await lose(req);
      if (req.path !== 'sys/wrapping/unwrap' || lost) return res;
      lost = true;
      return answer(502, undefined);
    };
    const auth = new AppRoleAuth(
      roleId,
      new SensitiveValue('hvs.w-lost'),
      undefined,
      'approle',
      true,
    );
    const client = clientOn(vault);
    const first = (await auth.authenticate(client).catch((e: unknown) => e)) as Error;
    expect(first).toBeInstanceOf(VaultAuthError);
    expect(first.message).toContain('the answer of sys/wrapping/unwrap was lost (502');
    const again = (await auth.authenticate(client).catch((e: unknown) => e)) as Error;
    expect(again.message).toContain('used up by an earlier unwrap whose answer was lost');
    expect(again.message).not.toContain('intercepted');
    expect(vault.paths().filter(p => p === 'sys/wrapping/unwrap')).toHaveLength(1);
  });

  it('roleName pins the role: a secret ID of another role is refused before the unwrap', async () => {
    const vault = new WrappingVault();
    vault.wrap('hvs.w-role', 'sid-role', 'auth/approle/role/other/secret-id');
    const auth = new AppRoleAuth(
      roleId,
      new SensitiveValue('hvs.w-role'),
      undefined,
      'approle',
      true,
      'app',
    );
    const error = (await auth.authenticate(clientOn(vault)).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(
      'created by auth/approle/role/other/secret-id, not by auth/approle/role/app/secret-id',
    );
    expect(vault.paths()).toEqual(['sys/wrapping/lookup']);
  });

  it('without secretIdWrapped the secret ID is sent as it is', async () => {
    const vault = new WrappingVault();
    await new AppRoleAuth(
      roleId,
      new SensitiveValue('plain-sid'),
      undefined,
      'approle',
    ).authenticate(clientOn(vault));
    expect(vault.paths()).toEqual(['auth/approle/login']);
  });
});
