#!/usr/bin/env node
/**
 * `npm run docs:api:check`: generates the API reference into a temporary folder and compares it
 * with the committed docs/api. Exits 1, naming every stale, missing or extra file, when they
 * differ; `npm run docs:api` regenerates docs/api.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const committed = join(root, 'docs/api');
const fresh = mkdtempSync(join(tmpdir(), 'docs-api-'));

/** Every file under `dir`, relative to it, sorted. */
function files(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter(e => e.isFile())
    .map(e => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

try {
  const typedoc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typedoc/bin/typedoc'), '--out', fresh, '--logLevel', 'Error'],
    { cwd: root, encoding: 'utf8' },
  );
  if (typedoc.status !== 0) {
    console.error(
      `docs:api:check: typedoc failed (exit ${typedoc.status})\n${typedoc.stdout}${typedoc.stderr}`,
    );
    process.exit(2);
  }
  const want = files(fresh);
  const have = new Set(files(committed));
  const stale = [];
  for (const f of want) {
    if (!have.has(f)) stale.push(`missing  docs/api/${f}`);
    else if (readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'))
      stale.push(`stale    docs/api/${f}`);
    have.delete(f);
  }
  for (const f of have) stale.push(`extra    docs/api/${f}`);
  if (stale.length) {
    console.error(
      `docs:api:check: docs/api is out of date with the sources (${stale.length} file(s)):\n  ${stale.join('\n  ')}\nRun \`npm run docs:api\` and commit docs/api.`,
    );
    process.exit(1);
  }
  console.log(`docs:api:check: docs/api is up to date (${want.length} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
