import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { CertAuth } from './cert.auth.js';
import { JwtAuth } from './jwt.auth.js';
import { PasswordAuth } from './password.auth.js';

const CANARY = 'canary-login-credential-5c1d2e';
const ok = (token = 'hvs.issued'): VaultResponse => ({
  status: 200,
  headers: {},
  body: { auth: { client_token: token, lease_duration: 60, renewable: true } },
});

/** Records every request; answers with `answer(req)`. */
class ScriptedTransport implements VaultTransport {
  readonly sent: VaultRequest[] = [];
  constructor(private readonly answer: (req: VaultRequest) => VaultResponse = () => ok()) {}
  async request(req: VaultRequest) {
    this.sent.push(req);
    return this.answer(req);
  }
}

const clientOn = (transport: VaultTransport) =>
  new VaultClient({ transport, retry: { attempts: 1 } });

/** Every way the error can be printed. */
const rendered = (e: unknown) => [String((e as Error).message), inspect(e), JSON.stringify(e)];

describe('login auth methods (jwt, cert, userpass, ldap)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'login-methods-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('jwt: POST auth/<mount>/login { role, jwt }, and the client uses the new token', async () => {
    const transport = new ScriptedTransport();
    const client = clientOn(transport);
    const block = await new JwtAuth(
      'ci',
      new SensitiveValue('a.b.c'),
      undefined,
      'gh',
    ).authenticate(client);
    expect(block).toMatchObject({ client_token: 'hvs.issued', lease_duration: 60 });
    expect(transport.sent[0]).toMatchObject({
      method: 'POST',
      path: 'auth/gh/login',
      body: { role: 'ci', jwt: 'a.b.c' },
    });
    expect(transport.sent[0].token).toBeUndefined(); // a login sends no old token
    await client.request({ method: 'GET', path: 'secret/data/x' });
    expect(transport.sent[1].token).toBe('hvs.issued');
  });

  it('jwt: the jwtFile is read again at every login (a CI runner rotates it)', async () => {
    const file = join(dir, 'jwt');
    const transport = new ScriptedTransport();
    const auth = new JwtAuth('ci', undefined, file, 'jwt');
    writeFileSync(file, 'first.jwt.value\n');
    await auth.authenticate(clientOn(transport));
    writeFileSync(file, 'second.jwt.value\n');
    await auth.authenticate(clientOn(transport));
    expect(transport.sent.map(r => (r.body as { jwt: string }).jwt)).toEqual([
      'first.jwt.value',
      'second.jwt.value',
    ]);
  });

  it("jwt: a refused login names the method, the mount and Vault's reason, never the JWT", async () => {
    const transport = new ScriptedTransport(req => ({
      status: 400,
      headers: {},
      // A proxy (or a careless server) echoing the credential must not carry it into the error.
      body: {
        errors: [
          'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience',
          `bad token ${(req.body as { jwt: string }).jwt}`,
        ],
      },
    }));
    const error = await new JwtAuth('ci', new SensitiveValue(CANARY), undefined, 'ci-jwt')
      .authenticate(clientOn(transport))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultAuthError);
    expect((error as VaultAuthError).method).toBe('jwt');
    expect((error as Error).message).toBe(
      'Vault jwt authentication failed: Vault answered 400 at auth/ci-jwt/login; check the ' +
        "role, the JWT's issuer, audience and expiry, and the role's bound_audiences and " +
        'bound_claims (error validating token: invalid audience (aud) claim: audience claim does ' +
        'not match any expected audience; bad token [REDACTED]).',
    );
    for (const text of rendered(error)) expect(text).not.toContain(CANARY);
  });

  it('jwt: an unreadable jwtFile names the file, never its content', async () => {
    const error = await new JwtAuth('ci', undefined, join(dir, 'missing'), 'jwt')
      .authenticate(clientOn(new ScriptedTransport()))
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `Vault jwt authentication failed: cannot read the JWT file ${join(dir, 'missing')} (ENOENT).`,
    );
  });

  it('cert: POST auth/<mount>/login with the role name, or an empty body', async () => {
    const transport = new ScriptedTransport();
    await new CertAuth('web', 'cert').authenticate(clientOn(transport));
    await new CertAuth(undefined, 'mtls').authenticate(clientOn(transport));
    expect(transport.sent.map(r => [r.path, r.body])).toEqual([
      ['auth/cert/login', { name: 'web' }],
      ['auth/mtls/login', {}],
    ]);
    const refused = new ScriptedTransport(() => ({
      status: 400,
      headers: {},
      body: { errors: ['invalid certificate or no client certificate supplied'] },
    }));
    const error = await new CertAuth('web', 'cert')
      .authenticate(clientOn(refused))
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Vault cert authentication failed: Vault answered 400 at auth/cert/login; check that the ' +
        "client certificate (tls.clientCert / VAULT_CLIENT_CERT) is signed by the role's " +
        'certificate and not expired (invalid certificate or no client certificate supplied).',
    );
  });

  it.each(['userpass', 'ldap'] as const)(
    '%s: POST auth/<mount>/login/<username> { password }, a password file read at each login',
    async method => {
      const file = join(dir, `${method}-pw`);
      writeFileSync(file, ' pass word \n');
      const transport = new ScriptedTransport();
      const auth = new PasswordAuth(method, 'alice', undefined, file, `corp-${method}`);
      await auth.authenticate(clientOn(transport));
      writeFileSync(file, 'rotated\n');
      await auth.authenticate(clientOn(transport));
      expect(transport.sent.map(r => [r.path, r.body])).toEqual([
        [`auth/corp-${method}/login/alice`, { password: ' pass word ' }],
        [`auth/corp-${method}/login/alice`, { password: 'rotated' }],
      ]);
    },
  );

  it('userpass / ldap: a refused login says why, never the password', async () => {
    const transport = new ScriptedTransport(req => ({
      status: 400,
      headers: {},
      body: {
        errors: [
          req.path.includes('ldap')
            ? 'ldap operation failed: failed to bind as user'
            : 'invalid username or password',
        ],
      },
    }));
    const messages: string[] = [];
    for (const method of ['userpass', 'ldap'] as const) {
      const error = await new PasswordAuth(
        method,
        'alice',
        new SensitiveValue(CANARY),
        undefined,
        method,
      )
        .authenticate(clientOn(transport))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultAuthError);
      for (const text of rendered(error)) expect(text).not.toContain(CANARY);
      messages.push((error as Error).message);
    }
    expect(messages).toEqual([
      'Vault userpass authentication failed: Vault answered 400 at auth/userpass/login/alice; ' +
        'check the username and password (invalid username or password).',
      'Vault ldap authentication failed: Vault answered 400 at auth/ldap/login/alice; check the ' +
        'username and password and the LDAP configuration (auth/ldap/config) (ldap operation ' +
        'failed: failed to bind as user).',
    ]);
  });
});
