import { describe, expect, it } from '@jest/globals';
import type { CliIo } from './cli-io.interface.js';
import { runCli } from './run-cli.js';

/** Runs the CLI without any Vault: every case here fails or stops before connecting. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env,
    cwd: '/nonexistent-dir-for-cli-tests',
    stdout: { write: s => (stdout += s) },
    stderr: { write: s => (stderr += s) },
    prompt: null,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('runCli dispatch, help and usage errors', () => {
  it('prints help with exit 0 for the tool and for every command', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: vault-config <command>/);
    for (const command of ['migrate', 'rotate', 'doctor']) {
      expect(top.stdout).toContain(`  ${command} `);
      const own = await run([command, '--help']);
      expect(own.code).toBe(0);
      expect(own.stdout).toContain(`Usage: vault-config ${command}`);
      expect(own.stdout).toContain('--auth <method>');
      expect((await run(['help', command])).stdout).toBe(own.stdout);
    }
  });

  it.each([
    [[], 'missing command'],
    [['deploy'], 'unknown command "deploy"'],
    [['migrate'], '--path is required'],
    [
      ['migrate', '--path', 'a', '--merge', '--replace'],
      '--merge and --replace cannot be used together',
    ],
    [['migrate', '--path', 'a', '--bogus'], 'unknown option --bogus'],
    [['migrate', '--path'], '--path needs a value'],
    [['migrate', '--path', 'a/../b'], '--path must be a path'],
    [['migrate', '--path', 'a', 'stray'], 'unexpected argument'],
    [['rotate', '--path', 'a'], '--key is required'],
    [
      ['rotate', '--path', 'a', '--key', 'K', '--bytes', '4'],
      '--bytes must be an integer from 16 to 1024',
    ],
    [
      ['rotate', '--path', 'a', '--key', 'K', '--encoding', 'base32'],
      '--encoding must be base64url or hex',
    ],
    [
      ['doctor', '--auth', 'radius'],
      '--auth must be token, approle, kubernetes, jwt, cert, userpass or ldap',
    ],
    [['doctor', '--auth', 'jwt', '--role', 'ci'], '--auth jwt needs --role and --jwt-file'],
    [['doctor', '--auth', 'ldap'], '--auth ldap needs VAULT_USERNAME and VAULT_PASSWORD'],
    [['doctor', '--role', 'ci'], '--role and --jwt-file need --auth kubernetes or jwt'],
    [['doctor', '--auth', 'approle'], '--auth approle needs VAULT_ROLE_ID'],
    [['doctor', '--auth', 'kubernetes'], '--auth kubernetes needs --role'],
    [['doctor', '--mount', 'a', '--mount', 'b', '--path', 'x'], 'one --mount for all paths'],
    [['doctor', '--config', 'missing.json'], '--config missing.json does not exist (ENOENT)'],
    [['doctor', '--for-app', '--for-cli'], '--for-app and --for-cli are mutually exclusive'],
  ])('%j exits 2 with one line: %s', async (argv, reason) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(reason);
  });

  it('never echoes what followed an unknown option or a stray argument', async () => {
    const a = await run(['migrate', '--path', 'a', '--token=canary-typed-value']);
    const b = await run(['migrate', '--path', 'a', 'canary-stray-value']);
    for (const r of [a, b]) {
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('canary');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('see vault-config migrate --help');
    }
  });

  it('takes the .env file as --file or -f; --env-file (Node.js takes it) is a usage error', async () => {
    const env = { VAULT_ADDR: 'http://127.0.0.1:9', VAULT_TOKEN: 'canary-token-cli-spec' };
    for (const option of [['--file', 'nope.env'], ['-f', 'nope.env'], ['--file=nope.env']]) {
      const r = await run(['migrate', '--path', 'a', ...option], env);
      expect([r.code, r.stderr]).toEqual([
        1,
        'vault-config migrate: nope.env: does not exist (ENOENT).\n',
      ]);
    }
    for (const option of [['--env-file', 'app.env'], ['--env-file=app.env']]) {
      const r = await run(['migrate', '--path', 'a', ...option], env);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        '',
        'vault-config migrate: --env-file is not an option of vault-config (Node.js takes it for ' +
          'itself): use --file <path> (or -f <path>); see vault-config migrate --help\n',
      ]);
    }
    const doctor = await run(['doctor', '--env-file=app.env']);
    expect(doctor.stderr).toContain('unknown option --env-file;');
    const help = (await run(['migrate', '--help'])).stdout;
    expect(help).toMatch(/^ {2}-f, --file <file> {3}the \.env file \(default: \.env\)/m);
    expect(help).not.toMatch(/^ +--env-file/m);
  });

  it('reports a usage error as JSON on stdout with --json', async () => {
    const r = await run(['migrate', '--path', 'a', '--merge', '--replace', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      command: 'migrate',
      ok: false,
      error: { name: 'CliUsageError', message: '--merge and --replace cannot be used together' },
    });
    const prompting = await run(['migrate', '--path', 'a', '--json']);
    expect(prompting.code).toBe(2);
    expect(JSON.parse(prompting.stdout).error.message).toBe(
      '--json needs --yes or --dry-run (it never prompts)',
    );
  });

  it('fails with exit 1 and the options error when VAULT_ADDR is missing', async () => {
    const r = await run(['rotate', '--path', 'a', '--key', 'K']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('address is required (or set VAULT_ADDR');
  });
});
