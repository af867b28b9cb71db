#!/usr/bin/env node
/**
 * Runs a guide's shell blocks as printed, in order, in one bash session at the repository root, and
 * checks each block's output against the `text` block right after it (nothing but blank lines
 * between). What varies from run to run is normalised on both sides: timestamps, pids, durations,
 * server versions, TTLs, column padding, npm's own banner and warnings.
 *
 * An HTML comment right before a shell block tells the runner how to run it:
 *   <!-- guide: background until "text" -->  start it, go on once its output shows "text"
 *   <!-- guide: answer "y" after "text" -->   run it on a terminal (script(1)), type the answer
 *   <!-- guide: exit N -->                    its exit code is N (default 0)
 * and before an output block:
 *   <!-- guide: excerpt -->                   its lines appear in the output, in order, among others
 *
 * Usage: node test/docs/run-guide.mjs <guide.md> [--isolated-home] [--oidc-stand-in]
 *   --isolated-home  HOME is a fresh temp folder for the run (dev servers write ~/.vault-token, and
 *                    the guide's files under $HOME go there)
 *   --oidc-stand-in  the OIDC issuers the guide configures (GitHub, GitLab) are played locally
 *                    (test/docs/oidc-stand-in.mjs): HTTPS_PROXY and SSL_CERT_FILE point at it
 * The guide writes into the working tree (as a reader's run would); files it creates must not exist.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { startOidcStandIn } from './oidc-stand-in.mjs';

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

/** Shell blocks with their directive and the output they are expected to print. */
function parseGuide(markdown) {
  const fence = /(?:<!-- guide: (.+?) -->\s*\n)?```(\w*)\n([\s\S]*?)```\n?/g;
  const blocks = [];
  let previous;
  for (let m; (m = fence.exec(markdown));) {
    const [whole, directive, lang, body] = m;
    const gap = previous ? markdown.slice(previous.end, m.index) : 'x';
    if (lang === 'sh') {
      previous = {
        line: lineOf(m.index),
        body,
        directive: parseDirective(directive),
        end: m.index + whole.length,
      };
      blocks.push(previous);
    } else {
      if (lang === 'text' && previous && gap.trim() === '') {
        if (directive && directive !== 'excerpt')
          throw new Error(`unknown output directive: ${directive}`);
        previous.expected = body;
        previous.excerpt = directive === 'excerpt';
      }
      previous = undefined;
    }
  }
  return blocks;
  function lineOf(index) {
    return markdown.slice(0, index).split('\n').length;
  }
}

function parseDirective(text) {
  if (!text) return { exit: 0 };
  const background = /^background until "(.+)"$/.exec(text);
  if (background) return { exit: 0, readyText: background[1] };
  const answer = /^answer "(.*)" after "(.+)"$/.exec(text);
  if (answer) return { exit: 0, answer: answer[1], prompt: answer[2] };
  const exit = /^exit (\d+)$/.exec(text);
  if (exit) return { exit: Number(exit[1]) };
  throw new Error(`unknown guide directive: ${text}`);
}

const q = s => `'${s.replaceAll("'", `'\\''`)}'`;

/** One bash script: every block in order, its output and exit code kept in `out`. */
function script(blocks, out, env) {
  const lines = [
    'set -m',
    ...Object.entries(env).map(([k, v]) => `export ${k}=${q(v)}`),
    'cd ' + q(root),
    '[ -x .venv/bin/bao ] && PATH="$PWD/.venv/bin:$PATH"', // where scripts/install-openbao.sh puts it
    'command -v vault >/dev/null || vault() { bao "$@"; }',
    'wait_for() { for _ in $(seq 1 600); do grep -qF -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out waiting for: $2" >&2; return 1; }',
    'background=()',
    'trap \'for p in "${background[@]}"; do kill -- -"$p" 2>/dev/null; done\' EXIT',
  ];
  blocks.forEach((b, i) => {
    const o = q(join(out, `${i}.out`));
    const rc = q(join(out, `${i}.rc`));
    const d = b.directive;
    if (d.readyText) {
      lines.push(`{ ${b.body}\n} > ${o} 2>&1 < /dev/null &`, 'background+=($!)');
      lines.push(
        `wait_for ${o} ${q(d.readyText)} || exit 90`,
        `cp ${o} ${o}.ready; echo 0 > ${rc}`,
      );
    } else if (d.answer !== undefined) {
      const fifo = q(join(out, `${i}.in`));
      lines.push(
        `mkfifo ${fifo}`,
        `script -qec ${q(b.body.trim())} /dev/null < ${fifo} > ${o} 2>&1 &`,
        'pid=$!',
        `exec 4> ${fifo}`,
        `wait_for ${o} ${q(d.prompt)} || exit 91`,
        `printf '%s\\n' ${q(d.answer)} >&4`,
        'exec 4>&-',
        `wait $pid; echo $? > ${rc}`,
      );
    } else {
      lines.push(`{ ${b.body}\n} > ${o} 2>&1 < /dev/null; echo $? > ${rc}`);
    }
  });
  return lines.join('\n') + '\n';
}

/** What may differ between the guide's run and this one. */
function normalise(text) {
  return stripVTControlCharacters(text)
    .replace(/\r/g, '')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
    .replace(/[\u2800-\u28ff]/g, '') // npx's progress spinner on a terminal
    .replace(/\d{8}_\d{6}(_\d+)?/g, '<stamp>')
    .replace(/\[Nest\] \d+\s+- .*?[AP]M\s+/g, '[Nest] ')
    .replace(/ in \d+ ms/g, ' in <n> ms')
    .replace(/version \d+\.\d+\.\d+\S*/g, 'version <v>')
    .replace(/expires in [\dhms]+/g, 'expires in <ttl>')
    .split('\n')
    .filter(line => !/^(> |npm warn )/.test(line))
    .map(line => line.replace(/\s+/g, ' ').trim())
    .filter(line => line !== '')
    .join('\n');
}

/** Equal, or for an excerpt: every expected line found in `actual`, in order. */
function matches(actual, expected, excerpt) {
  if (!excerpt) return actual === expected;
  const lines = actual.split('\n');
  let at = 0;
  for (const line of expected.split('\n')) {
    at = lines.indexOf(line, at);
    if (at < 0) return false;
    at += 1;
  }
  return true;
}

function assertPortFree(port) {
  return new Promise((ok, fail) => {
    const probe = spawn('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' });
    probe.on('exit', code =>
      code === 0 ? fail(new Error(`port ${port} is in use; the guide needs it`)) : ok(),
    );
  });
}

const blocks = parseGuide(guide);
const created = ['apps/demo-api/.env', 'apps/demo-api/vault-doctor.json', 'demo-read.hcl'];
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
  {
    cwd: root,
    stdio: 'ignore',
  },
);
if ((await new Promise(done => cliFound.on('exit', done))) !== 0) {
  console.error('run-guide: needs the `vault` or `bao` CLI (bash scripts/install-openbao.sh)');
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), 'run-guide-'));
const env = {};
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
const file = join(out, 'guide.sh');
writeFileSync(file, script(blocks, out, env));
const started = Date.now();
const code = await new Promise(done =>
  spawn('bash', [file], { stdio: 'inherit' }).on('exit', done),
);
await standIn?.stop();

const failures = [];
blocks.forEach((b, i) => {
  const where = `${guidePath}:${b.line}`;
  const rcFile = join(out, `${i}.rc`);
  if (!existsSync(rcFile))
    return failures.push(`${where}: did not run (the run stopped before it)`);
  const rc = Number(readFileSync(rcFile, 'utf8'));
  const outFile = join(out, `${i}.out${b.directive.readyText ? '.ready' : ''}`);
  const actual = readFileSync(outFile, 'utf8');
  if (rc !== b.directive.exit)
    failures.push(`${where}: exit ${rc}, the guide says ${b.directive.exit}\n${actual}`);
  if (b.expected !== undefined && !matches(normalise(actual), normalise(b.expected), b.excerpt)) {
    failures.push(
      `${where}: output differs from the guide\n--- guide\n${normalise(b.expected)}\n--- this run\n${normalise(actual)}`,
    );
  }
});
rmSync(out, { recursive: true, force: true });
for (const f of created) rmSync(join(root, f), { force: true }); // none existed before the run

const seconds = ((Date.now() - started) / 1000).toFixed(1);
const checked = blocks.filter(b => b.expected !== undefined).length;
if (code !== 0 || failures.length) {
  console.error(`GUIDE ${guidePath}: FAIL (bash exit ${code})\n\n${failures.join('\n\n')}`);
  process.exit(1);
}
console.log(
  `GUIDE ${guidePath}: PASS — ${blocks.length} shell blocks run as printed, ${checked} outputs as shown (${seconds} s)`,
);
