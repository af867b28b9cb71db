#!/usr/bin/env node
/**
 * `npm run test:docs`: every code block of README.md, docs/*.md and the package READMEs, as printed.
 *
 * - TypeScript blocks are compiled together, with one strict `tsc`, in a fresh Nest 12 app that has
 *   the `npm pack` tarballs installed (test/pack/fresh-app.sh, as the pack test does). Each block is
 *   its own file (named by a first-line comment `// app.module.ts`, else snippet.ts); blocks with the
 *   same `group=NAME` in their info string share a folder, so one can import another.
 * - Shell blocks run as test/docs/run-guide.mjs runs the migration guide (shell-blocks.mjs: one bash
 *   session per document, outputs compared with the `text` block after them), at the repository root
 *   or, marked `<!-- guide: in app -->`, in the fresh app, where `npm install <package>` installs the
 *   tarball (our packages) or the version this repository pins (others) instead of the registry's
 *   latest. docs/migration-guide.md and docs/production-hardening.md are left to `npm run test:guide`. A block marked
 *   ```bash no-run: <reason>``` is skipped and listed with its reason.
 * - `js` blocks run with `node -e` at the repository root; `json` and `yaml` blocks must parse.
 * - Every package a document's TypeScript imports must be named by an install command in it.
 * - The README's Quick start (its `ts group=quickstart` blocks, named `// src/….ts`) becomes the fresh
 *   app's src/, and the app's `npm run start` compiles and starts it as `nest start` does, so the
 *   README's shell blocks boot it against `npm run vault:dev` and check what it serves.
 * - `mermaid` blocks are diagrams: reported, never run.
 * Arguments name the documents to run (`node test/docs/run-docs.mjs README.md`); default: all.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { parseBlocks, runShellBlocks, skippedBlocks } from './shell-blocks.mjs';

const root = resolve(import.meta.dirname, '../..');
const ALL_DOCS = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter(f => f.endsWith('.md'))
    .sort()
    .map(f => `docs/${f}`),
  'libs/vault-config/README.md',
  'libs/vault-testing/README.md',
];
/** `node test/docs/run-docs.mjs README.md docs/cli.md`: only those documents (all by default). */
const only = process.argv.slice(2);
const unknown = only.filter(p => !ALL_DOCS.includes(p));
if (unknown.length) {
  console.error(`run-docs: not a document it runs: ${unknown.join(', ')}`);
  process.exit(2);
}
const DOCS = only.length ? ALL_DOCS.filter(p => only.includes(p)) : ALL_DOCS;
/** Run by `npm run test:guide` (CI runs it, with the set-ups they need): their shell blocks are not run twice. */
const GUIDES = new Set(['docs/migration-guide.md', 'docs/production-hardening.md']);
/** What a Nest app has before it adds our packages (nest new: Jest and @nestjs/testing included). */
const BASELINE = new Set([
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/testing',
  '@jest/globals',
  'reflect-metadata',
  'rxjs',
]);
/** Files a document's shell blocks create at the repository root: must not exist, removed after. */
const CREATES = { 'docs/setup.md': ['.env'] };
/** For the TypeScript blocks: what the docs tell readers to install, and the test snippets' tools. */
const APP_EXTRAS = [
  'class-validator',
  'class-transformer',
  '@nestjs/testing',
  '@jest/globals',
  'pg',
  '@types/pg',
  '@opentelemetry/api',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-prometheus',
  'zod',
  'valibot',
  'typeorm',
  '@nestjs/typeorm',
  'drizzle-orm',
  'knex',
];

const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pinned = name => rootPackage.devDependencies[name];
const report = [];
const failures = [];
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

const docs = DOCS.map(path => ({ path, markdown: readFileSync(join(root, path), 'utf8') }));
for (const doc of docs) doc.blocks = parseBlocks(doc.markdown);

for (const doc of docs) {
  for (const b of doc.blocks) {
    if (
      ['sh', 'bash'].includes(b.lang) &&
      b.noRun === undefined &&
      !b.directives.includes('in app')
    )
      if (/\bnpm (install|i|add)\b/.test(b.body))
        failures.push(
          `${doc.path}:${b.line}: an install command outside the app would change the repository`,
        );
  }
}
const present = Object.values(CREATES)
  .flat()
  .filter(f => existsSync(join(root, f)));
if (present.length) {
  console.error(
    `run-docs: ${present.join(', ')} exist(s); move them away first (the docs create them)`,
  );
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'docs-test-'));
try {
  console.log('--- npm pack both libraries, install them into a fresh Nest 12 app');
  const extras = APP_EXTRAS.map(name => `${name}@${pinned(name)}`).join(' ');
  const made = await promisify(execFile)(
    'bash',
    [
      '-c',
      `source test/pack/fresh-app.sh && make_fresh_app "$0" ${extras} && echo "$CONFIG_TGZ" && echo "$TESTING_TGZ"`,
      work,
    ],
    { cwd: root, maxBuffer: 1 << 24 },
  );
  const [configTgz, testingTgz] = made.stdout.trim().split('\n').slice(-2);
  const app = join(work, 'app');

  console.log(`--- TypeScript blocks: one strict tsc over all of them (${elapsed()})`);
  compileTypeScript(app);
  installQuickStart(app);
  checkInstallLines();
  runOtherBlocks();

  for (const doc of docs) {
    const shell = doc.blocks.filter(b => ['sh', 'bash'].includes(b.lang));
    if (!shell.length) continue;
    if (GUIDES.has(doc.path)) {
      shell.forEach(b => report.push([doc.path, b.line, b.lang, 'run by npm run test:guide']));
      continue;
    }
    for (const s of skippedBlocks(doc.markdown))
      report.push([doc.path, s.line, 'shell', `skipped: ${s.reason}`]);
    if (process.env.DOCS_SKIP_SHELL === '1') continue; // while editing TypeScript blocks only
    console.log(`--- ${doc.path}: shell blocks (${elapsed()})`);
    await waitForPorts([8200, 3000]);
    const result = await runShellBlocks(doc.path, doc.markdown, {
      root,
      appDir: app,
      env: {
        ...process.env,
        BASH_ENV: writeNpmShim(work, app, configTgz, testingTgz),
      },
    });
    for (const f of CREATES[doc.path] ?? []) rmSync(join(root, f), { force: true });
    failures.push(...result.failures);
    shell
      .filter(b => b.noRun === undefined)
      .forEach(b => report.push([doc.path, b.line, b.lang, 'run']));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  for (const f of Object.values(CREATES).flat()) rmSync(join(root, f), { force: true });
}

report.sort((a, b) => DOCS.indexOf(a[0]) - DOCS.indexOf(b[0]) || a[1] - b[1]);
console.log('\nblock                                        lang   result');
for (const [doc, line, lang, what] of report)
  console.log(`${`${doc}:${line}`.padEnd(44)} ${lang.padEnd(6)} ${what}`);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const failed = failures.length;
if (failed) console.error(`\n${failures.join('\n\n')}`);
console.log(
  `\nDOCS: ${failed ? 'FAIL' : 'PASS'} — ${report.length} blocks in ${docs.length} documents (${seconds} s)`,
);
console.log(`docs: ${report.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

/** Writes every TypeScript block into the app and compiles them with one tsc. */
function compileTypeScript(app) {
  const origin = new Map(); // file in the app → [doc, first line of the code]
  for (const doc of docs) {
    const slug = doc.path.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
    for (const b of doc.blocks.filter(x => ['ts', 'typescript'].includes(x.lang))) {
      const group = /(?:^|\s)group=(\S+)/.exec(b.info)?.[1] ?? `line-${b.line}`;
      const name = /^\/\/ ([\w./-]+\.ts)\b/.exec(b.body)?.[1] ?? 'snippet.ts';
      const file = join(app, 'docs', slug, group, name);
      if (origin.has(file)) throw new Error(`${doc.path}:${b.line}: ${group}/${name} twice`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, b.body);
      origin.set(file, [doc.path, b.line + 1]);
      report.push([doc.path, b.line, b.lang, 'compiled']);
    }
  }
  if (!origin.size) return; // the documents asked for have no TypeScript block
  writeFileSync(
    join(app, 'tsconfig.docs.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['docs/**/*.ts'],
    }),
  );
  const tsc = spawnSyncText(
    process.execPath,
    [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.docs.json', '--pretty', 'false'],
    app,
  );
  if (tsc.status === 0) return;
  // docs/<slug>/<group>/<file>(row,col): error … → the document and line it came from
  const lines = tsc.output.split('\n').map(line => {
    const m = /^(docs\/[^(]+)\((\d+),(\d+)\)(.*)$/.exec(line);
    const from = m && origin.get(join(app, m[1]));
    return from ? `${from[0]}:${from[1] + Number(m[2]) - 1}:${m[3]}${m[4]}` : line;
  });
  failures.push(`TypeScript blocks do not compile:\n${lines.join('\n')}`);
}

/**
 * The README's Quick start as the app's own code: its blocks replace the app's src/, and
 * `npm run start` compiles it with the app's tsconfig (src → dist) and runs dist/main.js, as
 * `nest start` does in an app made by `nest new`.
 */
function installQuickStart(app) {
  const readme = docs.find(d => d.path === 'README.md');
  if (!readme) return; // only other documents were asked for
  const blocks = readme.blocks.filter(
    b => ['ts', 'typescript'].includes(b.lang) && /(?:^|\s)group=quickstart(?:\s|$)/.test(b.info),
  );
  if (!blocks.length) {
    failures.push('README.md: no `ts group=quickstart` blocks (the Quick start the docs boot)');
    return;
  }
  rmSync(join(app, 'src'), { recursive: true, force: true });
  for (const b of blocks) {
    const name = /^\/\/ (src\/[\w./-]+\.ts)\b/.exec(b.body)?.[1];
    if (!name) {
      failures.push(`README.md:${b.line}: a Quick start block must start with // src/<file>.ts`);
      continue;
    }
    mkdirSync(dirname(join(app, name)), { recursive: true });
    writeFileSync(join(app, name), b.body);
  }
  const pkgFile = join(app, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  pkg.scripts = { ...pkg.scripts, start: 'tsc -p tsconfig.json && exec node dist/main.js' };
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
}

/** Each document's install commands name every package its TypeScript imports. */
function checkInstallLines() {
  for (const doc of docs) {
    const imported = new Set();
    for (const b of doc.blocks.filter(x => ['ts', 'typescript'].includes(x.lang))) {
      for (const m of b.body.matchAll(/\bfrom '([^'.][^']*)'|\bimport '([^'.][^']*)'/g)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith('node:')) continue;
        const name = spec.startsWith('@')
          ? spec.split('/').slice(0, 2).join('/')
          : spec.split('/')[0];
        if (!BASELINE.has(name)) imported.add(name);
      }
    }
    const installed = new Set(
      doc.blocks
        .filter(b => ['sh', 'bash'].includes(b.lang))
        .flatMap(b => [...b.body.matchAll(/\bnpm (?:install|i|add)\b([^\n#&|;]*)/g)])
        .flatMap(m => m[1].trim().split(/\s+/))
        .filter(w => w && !w.startsWith('-')),
    );
    // Documents without an install command point to one that has it (setup.md, the README).
    if (!installed.size) continue;
    const missing = [...imported].filter(name => !installed.has(name));
    if (missing.length)
      failures.push(
        `${doc.path}: its code imports ${missing.join(', ')}, which no install command in it names`,
      );
  }
}

/** js blocks run; json and yaml blocks parse; the rest is not code to run. */
function runOtherBlocks() {
  for (const doc of docs) {
    for (const b of doc.blocks) {
      const where = `${doc.path}:${b.line}`;
      if (b.lang === 'js') {
        const run = spawnSyncText(process.execPath, ['-e', b.body], root);
        if (run.status !== 0) failures.push(`${where}: node exited ${run.status}\n${run.output}`);
        report.push([
          doc.path,
          b.line,
          b.lang,
          `ran (node -e): ${run.output.trim().split('\n').pop()}`,
        ]);
      } else if (b.lang === 'json' || b.lang === 'yaml') {
        try {
          if (b.lang === 'json') JSON.parse(b.body);
          else {
            const bad = parseAllDocuments(b.body).flatMap(d => d.errors);
            if (bad.length) throw bad[0];
          }
          report.push([doc.path, b.line, b.lang, 'parsed']);
        } catch (error) {
          failures.push(`${where}: not valid ${b.lang}: ${error.message}`);
        }
      } else if (b.lang === 'mermaid') {
        report.push([doc.path, b.line, b.lang, 'diagram (not run)']);
      } else if (!['ts', 'typescript', 'sh', 'bash'].includes(b.lang)) {
        report.push([doc.path, b.line, b.lang || '-', 'not code (output, policy text or diagram)']);
      }
    }
  }
}

/**
 * Sourced by every shell session (BASH_ENV): in the fresh app, `npm install nestjs-vault-config`
 * installs the packed tarball and other packages the version this repository pins, so the install
 * lines run as printed without fetching anything but those versions.
 */
function writeNpmShim(work, app, configTgz, testingTgz) {
  const file = join(work, 'npm-shim.sh');
  const versions = Object.entries(rootPackage.devDependencies)
    .map(([name, version]) => `${name})echo "${name}@${version}";;`)
    .join(' ');
  writeFileSync(
    file,
    `npm() {
  if [ "$PWD" = '${app}' ] && { [ "$1" = install ] || [ "$1" = i ] || [ "$1" = add ]; }; then
    local verb="$1" a; shift; local args=()
    for a in "$@"; do
      case "$a" in
        nestjs-vault-config) args+=('${configTgz}') ;;
        nestjs-vault-config-testing) args+=('${testingTgz}') ;;
        -*) args+=("$a") ;;
        *) args+=("$(case "$a" in ${versions} *) echo "$a";; esac)") ;;
      esac
    done
    command npm "$verb" --prefer-offline --no-audit --no-fund "\${args[@]}"
  else
    command npm "$@"
  fi
}
`,
  );
  return file;
}

function spawnSyncText(cmd, args, cwd) {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { status: res.status, output: `${res.stdout ?? ''}${res.stderr ?? ''}` };
}

async function waitForPorts(ports) {
  for (const port of ports) {
    for (let i = 0; ; i++) {
      const free = await new Promise(done =>
        spawn('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' }).on(
          'exit',
          code => done(code !== 0),
        ),
      );
      if (free) break;
      if (i > 50) throw new Error(`port ${port} is in use; the docs need it`);
      await new Promise(r => setTimeout(r, 100));
    }
  }
}
