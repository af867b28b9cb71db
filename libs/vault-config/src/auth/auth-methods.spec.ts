import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { VaultClient } from '../client/vault.client.js';
import { VaultAuthError } from '../errors/vault-auth.error.js';
import type { VaultRequest, VaultTransport } from '../interfaces/vault-transport.interface.js';
import type { AuthMethod } from './auth-method.interface.js';
import { SensitiveValue } from '../options/sensitive-value.js';
import { createAuthMethod } from './create-auth-method.js';
import { TokenFileAuth } from './token-file.auth.js';
import { TokenAuth } from './token.auth.js';

/** Records what the client sends; answers 200 with an empty secret. */
class RecordingTransport implements VaultTransport {
  readonly sent: VaultRequest[] = [];
  async request(req: VaultRequest) {
    this.sent.push(req);
    return { status: 200, headers: {}, body: { data: {} } };
  }
}

describe('token auth methods', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'vault-home-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const tokenSentBy = async (auth: AuthMethod) => {
    const transport = new RecordingTransport();
    const client = new VaultClient({ transport });
    await auth.authenticate(client);
    await client.read('secret/data/x');
    return transport.sent[0]?.token;
  };

  it('uses the given token first, then ~/.vault-token', async () => {
    expect(await tokenSentBy(new TokenAuth(new SensitiveValue('opt'), false, () => home))).toBe(
      'opt',
    );
    writeFileSync(join(home, '.vault-token'), 'from-file\n');
    expect(await tokenSentBy(new TokenAuth(undefined, false, () => home))).toBe('from-file');
  });

  it('fails with VaultAuthError naming where it looked when there is no token', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vault-home-'));
    try {
      const error = await new TokenAuth(undefined, false, () => empty)
        .authenticate(new VaultClient({ transport: new RecordingTransport() }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultAuthError);
      expect((error as Error).message).toContain('set auth.token, VAULT_TOKEN or ~/.vault-token');
      // with a custom transport a missing token is allowed: the transport may authenticate itself
      expect(await tokenSentBy(new TokenAuth(undefined, true, () => empty))).toBeUndefined();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads a token file, trimmed; errors name the file, never its content', async () => {
    const file = join(home, 'agent-token');
    writeFileSync(file, '  canary-file-token \n');
    expect(await tokenSentBy(new TokenFileAuth(file))).toBe('canary-file-token');
    writeFileSync(file, '\n');
    const error = await tokenSentBy(new TokenFileAuth(file)).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `Vault tokenFile authentication failed: the token file ${file} is empty.`,
    );
    const missing = await tokenSentBy(new TokenFileAuth(join(home, 'nope'))).catch(
      (e: unknown) => e,
    );
    expect((missing as Error).message).toContain('(ENOENT)');
    expect(inspect(missing)).not.toContain('canary-file-token');
  });

  it('a transport passed in keeps its own token unless auth says otherwise', async () => {
    const planted = mkdtempSync(join(tmpdir(), 'vault-home-'));
    try {
      writeFileSync(join(planted, '.vault-token'), 'canary-stale-home-token\n');
      const fromHome = () => planted;
      const env = new SensitiveValue('canary-env-token');
      // no `auth` option: neither ~/.vault-token nor VAULT_TOKEN replaces the transport's token
      expect(
        await tokenSentBy(createAuthMethod({ method: 'token', implicit: true }, true, fromHome)),
      ).toBeUndefined();
      expect(
        await tokenSentBy(
          createAuthMethod({ method: 'token', token: env, implicit: true }, true, fromHome),
        ),
      ).toBeUndefined();
      // an explicit `auth` wins, also over the transport
      const mine = new SensitiveValue('explicit');
      expect(
        await tokenSentBy(createAuthMethod({ method: 'token', token: mine }, true, fromHome)),
      ).toBe('explicit');
      expect(await tokenSentBy(createAuthMethod({ method: 'token' }, true, fromHome))).toBe(
        'canary-stale-home-token',
      );
      // the default transport: the CLI's chain, VAULT_TOKEN then ~/.vault-token
      expect(
        await tokenSentBy(
          createAuthMethod({ method: 'token', token: env, implicit: true }, false, fromHome),
        ),
      ).toBe('canary-env-token');
      expect(
        await tokenSentBy(createAuthMethod({ method: 'token', implicit: true }, false, fromHome)),
      ).toBe('canary-stale-home-token');
    } finally {
      rmSync(planted, { recursive: true, force: true });
    }
  });
});
