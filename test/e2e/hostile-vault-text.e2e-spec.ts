/**
 * Text a Vault (or what answers as one) sends is escaped before it reaches the terminal: `doctor`
 * with a `sys/health` whose version holds a newline, ESC, CSI (U+009B), OSC (U+009D) and a bidi
 * override prints one row for the address, the characters written out. The in-memory server plays
 * the hostile node (fault injection on sys/health): OpenBao cannot be made to say such a version.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { cli, plantedInCliOutput, tempDir } from '../support/cli-support.js';

const HOSTILE_VERSION =
  '1.15.0\n[Nest] 1  - LOG [Doctor] forged\u001b[2J\u009b31m\u009d0;title\u0007\u202eevil\u2028x';

plantedInCliOutput();

describe('vault-config doctor: a hostile sys/health version', () => {
  let server: VaultTestServer;
  let cwd: string;
  let cleanup: () => void;

  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root' });
    ({ dir: cwd, cleanup } = tempDir());
    server.faults.inject({
      path: '/v1/sys/health*',
      status: 200,
      body: {
        initialized: true,
        sealed: false,
        standby: false,
        version: HOSTILE_VERSION,
        cluster_name: 'x',
      },
    });
  });
  afterAll(async () => {
    cleanup?.();
    await server?.stop();
  });

  it('prints the version escaped, on the address row', async () => {
    const r = await cli(['doctor', '--path', 'app'], {
      env: { VAULT_ADDR: server.url, VAULT_TOKEN: 'root' },
      cwd,
    });
    const output = r.stdout + r.stderr;
    // The controls are what must not be printed (newlines between rows are the table's own).
    // eslint-disable-next-line no-control-regex
    const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;
    expect(output).not.toMatch(unsafe);
    const address = r.stdout.split('\n').filter(l => l.startsWith('address'));
    expect(address).toHaveLength(1);
    expect(address[0]).toContain(
      'version 1.15.0\\n[Nest] 1  - LOG [Doctor] forged\\u001b[2J\\u009b31m\\u009d0;title\\u0007\\u202eevil\\u2028x',
    );
    expect(r.stdout).not.toMatch(/^\[Nest\]/m);
  });
});
