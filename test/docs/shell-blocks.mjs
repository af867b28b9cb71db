/**
 * Runs a Markdown document's shell blocks (```sh / ```bash) as printed, in order, in one bash
 * session, and checks each block's output against the `text` block right after it (nothing but
 * blank lines between). What varies from run to run is normalised on both sides: timestamps, pids,
 * durations, server versions, TTLs, column padding, npm's own banner and warnings.
 *
 * A block whose info string says `no-run: <reason>` (```bash no-run: needs Docker) is not run; the
 * reason is reported. An HTML comment right before a block tells the runner how to run it
 * (directives separated by `;`):
 *   <!-- guide: background until "text" -->  start it, go on once its output shows "text"
 *   <!-- guide: answer "y" after "text" -->   run it on a terminal (script(1)), type the answer
 *   <!-- guide: exit N -->                    its exit code is N (default 0)
 *   <!-- guide: in app -->                    run it in the fresh app (options.appDir), not at the root
 *   <!-- guide: stop background -->           first stop what earlier background blocks started
 *   <!-- guide: file NAME -->                 (any block) write its text to NAME in the session's
 *                                             folder (with `in app`: in the app)
 * and before an output block:
 *   <!-- guide: excerpt -->                   its lines appear in the output, in order, among others
 * Anywhere in the document:
 *   <!-- guide: session bao -->               the session runs in a scratch folder against a fresh
 *                                             OpenBao dev server: VAULT_ADDR, VAULT_TOKEN=root set
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const SHELL = new Set(['sh', 'bash']);

/** Every fenced block: language, info string, body, directives, line. */
export function parseBlocks(markdown) {
  const fence = /(?:<!-- guide: (.+?) -->\s*\n)?```([^\n`]*)\n([\s\S]*?)```\n?/g;
  const blocks = [];
  for (let m; (m = fence.exec(markdown));) {
    const [whole, directive, info, body] = m;
    const lang = info.trim().split(/\s+/)[0] ?? '';
    const noRun = /(?:^|\s)no-run:\s*(.+)$/.exec(info.trim());
    blocks.push({
      line: markdown.slice(0, m.index + (directive ? whole.indexOf('```') : 0)).split('\n').length,
      lang,
      info: info.trim(),
      body,
      directives: directive ? directive.split(';').map(d => d.trim()) : [],
      noRun: noRun?.[1].trim(),
      start: m.index,
      end: m.index + whole.length,
    });
  }
  return blocks;
}

/** Shell blocks to run, with the output each must print (a `text` block right after it). */
export function shellSteps(markdown) {
  const blocks = parseBlocks(markdown);
  const steps = [];
  blocks.forEach((b, i) => {
    const file = b.directives.map(d => /^file (\S+)$/.exec(d)?.[1]).find(Boolean);
    if (file) {
      const inApp = b.directives.includes('in app');
      steps.push({ kind: 'file', line: b.line, name: file, body: b.body, inApp });
    }
    if (!SHELL.has(b.lang) || b.noRun !== undefined) return;
    const step = { kind: 'shell', line: b.line, body: b.body, ...parseDirectives(b.directives) };
    const next = blocks[i + 1];
    if (next?.lang === 'text' && markdown.slice(b.end, next.start).trim() === '') {
      const unknown = next.directives.filter(d => d !== 'excerpt');
      if (unknown.length) throw new Error(`line ${next.line}: unknown output directive ${unknown}`);
      step.expected = next.body;
      step.excerpt = next.directives.includes('excerpt');
    }
    steps.push(step);
  });
  return steps;
}

function parseDirectives(directives) {
  const out = { exit: 0, inApp: false, stopBackground: false };
  for (const text of directives) {
    const background = /^background until "(.+)"$/.exec(text);
    const answer = /^answer "(.*)" after "(.+)"$/.exec(text);
    const exit = /^exit (\d+)$/.exec(text);
    if (background) out.readyText = background[1];
    else if (answer) Object.assign(out, { answer: answer[1], prompt: answer[2] });
    else if (exit) out.exit = Number(exit[1]);
    else if (text === 'in app') out.inApp = true;
    else if (text === 'stop background') out.stopBackground = true;
    else if (!/^file \S+$/.test(text)) throw new Error(`unknown guide directive: ${text}`);
  }
  return out;
}

/** `no-run` blocks, for the report. */
export function skippedBlocks(markdown) {
  return parseBlocks(markdown)
    .filter(b => SHELL.has(b.lang) && b.noRun !== undefined)
    .map(b => ({ line: b.line, reason: b.noRun }));
}

export const usesBaoSession = markdown => /<!-- guide: session bao -->/.test(markdown);

const q = s => `'${s.replaceAll("'", `'\\''`)}'`;

/** One bash script: every step in order, each block's output and exit code kept in `out`. */
function script(steps, out, { root, appDir, sessionDir }) {
  const home = sessionDir ?? root;
  const lines = [
    'set -m',
    `cd ${q(home)}`,
    `[ -x ${q(join(root, '.venv/bin/bao'))} ] && PATH=${q(join(root, '.venv/bin'))}:"$PATH"`,
    'command -v vault >/dev/null || vault() { bao "$@"; }',
    'wait_for() { for _ in $(seq 1 600); do grep -qF -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out waiting for: $2" >&2; return 1; }',
    'background=()',
    'stop_background() { for p in "${background[@]}"; do kill -- -"$p" 2>/dev/null; wait "$p" 2>/dev/null; while kill -0 -- -"$p" 2>/dev/null; do sleep 0.1; done; done; background=(); }',
    'trap stop_background EXIT',
  ];
  steps.forEach((s, i) => {
    if (s.kind === 'file') {
      lines.push(`cd ${q(s.inApp ? appDir : home)}`, `printf '%s' ${q(s.body)} > ${q(s.name)}`);
      return;
    }
    const o = q(join(out, `${i}.out`));
    const rc = q(join(out, `${i}.rc`));
    if (s.stopBackground) lines.push('stop_background');
    lines.push(`cd ${q(s.inApp ? appDir : home)}`);
    if (s.readyText) {
      lines.push(`{ ${s.body}\n} > ${o} 2>&1 < /dev/null &`, 'background+=($!)');
      lines.push(
        `wait_for ${o} ${q(s.readyText)} || exit 90`,
        `cp ${o} ${o}.ready; echo 0 > ${rc}`,
      );
    } else if (s.answer !== undefined) {
      const fifo = q(join(out, `${i}.in`));
      lines.push(
        `mkfifo ${fifo}`,
        `script -qec ${q(s.body.trim())} /dev/null < ${fifo} > ${o} 2>&1 &`,
        'pid=$!',
        `exec 4> ${fifo}`,
        `wait_for ${o} ${q(s.prompt)} || exit 91`,
        `printf '%s\\n' ${q(s.answer)} >&4`,
        'exec 4>&-',
        `wait $pid; echo $? > ${rc}`,
      );
    } else {
      lines.push(`{ ${s.body}\n} > ${o} 2>&1 < /dev/null; echo $? > ${rc}`);
    }
  });
  return lines.join('\n') + '\n';
}

/** What may differ between the document's run and this one. */
export function normalise(text) {
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

/**
 * Runs the document's shell steps; resolves { steps, checked, failures } (failures: text per
 * failing block, with its output).
 */
export async function runShellBlocks(docPath, markdown, { root, appDir, env = process.env }) {
  const steps = shellSteps(markdown);
  const out = mkdtempSync(join(tmpdir(), 'doc-blocks-'));
  let bao;
  try {
    let sessionDir;
    let sessionEnv = env;
    if (usesBaoSession(markdown)) {
      bao = await startBao(root);
      sessionDir = bao.dir;
      sessionEnv = { ...env, HOME: bao.home, VAULT_ADDR: bao.url, VAULT_TOKEN: 'root' };
    }
    if (steps.some(s => s.inApp) && !appDir) throw new Error(`${docPath}: "in app" needs an app`);
    const file = join(out, 'blocks.sh');
    writeFileSync(file, script(steps, out, { root, appDir, sessionDir }));
    const code = await new Promise(done =>
      spawn('bash', [file], { stdio: 'inherit', env: sessionEnv }).on('exit', done),
    );
    const failures = [];
    if (code !== 0) failures.push(`${docPath}: the session stopped early (bash exit ${code})`);
    steps.forEach((s, i) => {
      if (s.kind !== 'shell') return;
      const where = `${docPath}:${s.line}`;
      const rcFile = join(out, `${i}.rc`);
      if (!existsSync(rcFile))
        return failures.push(`${where}: did not run (the run stopped before it)`);
      const rc = Number(readFileSync(rcFile, 'utf8'));
      const actual = readFileSync(join(out, `${i}.out${s.readyText ? '.ready' : ''}`), 'utf8');
      if (rc !== s.exit)
        failures.push(`${where}: exit ${rc}, the document says ${s.exit}\n${actual}`);
      if (
        s.expected !== undefined &&
        !matches(normalise(actual), normalise(s.expected), s.excerpt)
      ) {
        failures.push(
          `${where}: output differs from the document\n--- document\n${normalise(s.expected)}\n--- this run\n${normalise(actual)}`,
        );
      }
    });
    const shell = steps.filter(s => s.kind === 'shell');
    return { steps: shell.length, checked: shell.filter(s => s.expected).length, failures };
  } finally {
    await bao?.stop();
    rmSync(out, { recursive: true, force: true });
  }
}

/** A throw-away OpenBao dev server (its own HOME: `bao server -dev` writes ~/.vault-token). */
async function startBao(root) {
  const bin = [process.env.BAO_BIN, join(root, '.venv/bin/bao')].find(b => b && existsSync(b));
  if (!bin) throw new Error('needs OpenBao: bash scripts/install-openbao.sh');
  const dir = mkdtempSync(join(tmpdir(), 'doc-bao-'));
  const home = join(dir, '.home');
  const port = await freePort();
  writeFileSync(join(dir, '.extra.hcl'), 'unsafe_allow_api_audit_creation = true\n');
  mkdirSync(home);
  const child = spawn(
    bin,
    [
      'server',
      '-dev',
      '-dev-root-token-id=root',
      `-dev-listen-address=127.0.0.1:${port}`,
      `-config=${join(dir, '.extra.hcl')}`,
    ],
    { stdio: 'ignore', env: { ...process.env, HOME: home } },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/v1/sys/health`)).status === 200) break;
    } catch {
      // not up yet
    }
    if (i > 200 || child.exitCode !== null) throw new Error('OpenBao dev server did not start');
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    url,
    dir,
    home,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise(r => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
