#!/usr/bin/env node
/**
 * Runs a guide's shell blocks as printed, in order, in one bash session at the repository root, and
 * checks each block's output against the `text` block right after it; see shell-blocks.mjs for the
 * directives.
 *
 * Usage: node test/docs/run-guide.mjs <guide.md> [--isolated-home] [--oidc-stand-in]
 *   --isolated-home  HOME is a fresh temp folder for the run (dev servers write ~/.vault-token, and
 *                    the guide's files under $HOME go there)
 *   --oidc-stand-in  the OIDC issuers the guide configures (GitHub, GitLab) are played locally
 *                    (test/docs/oidc-stand-in.mjs): HTTPS_PROXY and SSL_CERT_FILE point at it
 * The guide writes into the working tree (as a reader's run would); files it creates must not exist.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startOidcStandIn } from './oidc-stand-in.mjs';
import { runShellBlocks } from './shell-blocks.mjs';

const [guidePath, ...flags] = process.argv.slice(2);
const unknownFlag = flags.find(f => f !== '--isolated-home' && f !== '--oidc-stand-in');
if (!guidePath || unknownFlag) {
  console.error(
    'usage: node test/docs/run-guide.mjs <guide.md> [--isolated-home] [--oidc-stand-in]',
  );
  process.exit(2);
}
const root = resolve(import.meta.dirname, '../..');
const guide = readFileSync(resolve(root, guidePath), 'utf8');

function assertPortFree(port) {
  return new Promise((ok, fail) => {
    const probe = spawn('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' });
    probe.on('exit', code =>
      code === 0 ? fail(new Error(`port ${port} is in use; the guide needs it`)) : ok(),
    );
  });
}

const created = [
  'apps/demo-api/.env',
  'apps/demo-api/vault-doctor.json',
  'demo-read.hcl',
  'billing-options.json',
  'billing-read.hcl',
];
const present = created.filter(f => existsSync(join(root, f)));
if (present.length) {
  console.error(
    `run-guide: ${present.join(', ')} exist(s); move them away first (the guide creates them)`,
  );
  process.exit(1);
}
for (const port of [8200, 3000]) await assertPortFree(port);
const cliFound = spawn(
  'bash',
  ['-c', 'command -v vault || command -v bao || test -x .venv/bin/bao'],
  { cwd: root, stdio: 'ignore' },
);
if ((await new Promise(done => cliFound.on('exit', done))) !== 0) {
  console.error('run-guide: needs the `vault` or `bao` CLI (bash scripts/install-openbao.sh)');
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), 'run-guide-'));
const env = { ...process.env };
if (flags.includes('--isolated-home')) {
  env.HOME = join(out, 'home');
  mkdirSync(env.HOME);
}
const standIn = flags.includes('--oidc-stand-in')
  ? await startOidcStandIn(mkdtempSync(join(out, 'oidc-')))
  : undefined;
if (standIn) {
  Object.assign(env, {
    HTTPS_PROXY: standIn.proxyUrl,
    NO_PROXY: '127.0.0.1,localhost',
    SSL_CERT_FILE: standIn.caFile,
  });
}
const started = Date.now();
let result;
try {
  result = await runShellBlocks(guidePath, guide, { root, env });
} finally {
  await standIn?.stop();
  rmSync(out, { recursive: true, force: true });
  for (const f of created) rmSync(join(root, f), { force: true }); // none existed before the run
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (result.failures.length) {
  console.error(`GUIDE ${guidePath}: FAIL\n\n${result.failures.join('\n\n')}`);
  process.exit(1);
}
console.log(
  `GUIDE ${guidePath}: PASS — ${result.steps} shell blocks run as printed, ${result.checked} outputs as shown (${seconds} s)`,
);
