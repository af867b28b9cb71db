import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  CLI_FORBIDDEN,
  LAYER_ORDER,
  MAX_LINES,
  ROOT_ENTRIES,
  type Layer,
} from './layers.constants.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIB = join(REPO, 'libs', 'vault-config', 'src');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'architecture-fixtures') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every relative import of a file (static, type-only, re-exports and `import()`), as .ts paths. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map(f => f.fileName)
    .filter(spec => spec.startsWith('.'))
    .map(spec => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

/** Lines as `wc -l` counts them. */
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

const isSpec = (file: string) => /\.(spec|e2e-spec|contract-spec|spec-helpers)\.ts$/.test(file);

function layerOf(root: string, file: string): Layer | 'entry' {
  const rel = relative(root, file);
  if (ROOT_ENTRIES.includes(rel)) return 'entry';
  const folder = rel.split('/')[0] as Layer;
  if (!LAYER_ORDER.includes(folder)) throw new Error(`${rel} is in no known layer`);
  return folder;
}

/** Import cycles (strongly connected components of more than one file, or a self-import). */
function cycles(files: string[]): string[][] {
  const graph = new Map(files.map(f => [f, importsOf(f).filter(t => files.includes(t))]));
  let index = 0;
  const indexes = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexes.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexes.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexes.get(w)!));
    }
    if (low.get(v) === indexes.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component);
    }
  };
  for (const f of files) if (!indexes.has(f)) visit(f);
  return found.map(c => c.map(f => relative(REPO, f)));
}

/** Imports that go up the layer order, or from the CLI into the runtime or Nest. */
function layerViolations(root: string, files: string[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const from = layerOf(root, file);
    if (from === 'entry') continue;
    for (const target of importsOf(file)) {
      const to = layerOf(root, target);
      const rel = `${relative(root, file)} → ${relative(root, target)}`;
      if (to === 'entry') violations.push(`${rel} (imports a public entry)`);
      else if (from === 'cli' && CLI_FORBIDDEN.includes(to))
        violations.push(`${rel} (cli → ${to})`);
      else if (LAYER_ORDER.indexOf(to) > LAYER_ORDER.indexOf(from)) {
        violations.push(`${rel} (${from} may not import ${to})`);
      }
    }
  }
  return violations;
}

describe('architecture of nestjs-vault-config', () => {
  const sources = walk(LIB).filter(f => !isSpec(f));

  it('each layer imports only itself and the layers below it', () => {
    expect(layerViolations(LIB, sources)).toEqual([]);
  });

  it('no file imports a barrel (index.ts) from inside the package', () => {
    const barrels = walk(LIB).filter(f => f.endsWith('/index.ts'));
    const offenders = sources.flatMap(file =>
      importsOf(file)
        .filter(t => barrels.includes(t))
        .map(t => `${relative(LIB, file)} → ${relative(LIB, t)}`),
    );
    expect(offenders).toEqual([]);
  });

  it.each([
    ['libs/vault-config/src', LIB],
    ['libs/vault-testing/src', join(REPO, 'libs', 'vault-testing', 'src')],
    ['test', join(REPO, 'test')],
  ])('%s has no import cycle, type-only imports included', (_name, dir) => {
    expect(cycles(walk(dir))).toEqual([]);
  });

  it(`no TypeScript file in libs/, apps/ or test/ is longer than ${MAX_LINES} lines`, () => {
    const long = ['libs', 'apps', 'test']
      .flatMap(d => walk(join(REPO, d)))
      .map(f => ({ file: relative(REPO, f), lines: lineCount(readFileSync(f, 'utf8')) }))
      .filter(f => f.lines > MAX_LINES)
      .map(f => `${f.file}: ${f.lines}`);
    expect(long).toEqual([]);
  });
});

describe('the checks above can fail', () => {
  // A made-up package: options/a.ts imports nest/b.ts (a breach) and b imports a back (a cycle).
  const fixture = join(REPO, 'test', 'architecture', 'architecture-fixtures');
  const files = [join(fixture, 'options', 'a.ts'), join(fixture, 'nest', 'b.ts')];

  it('finds the cycle', () => {
    expect(cycles(files)).toEqual([
      expect.arrayContaining([expect.stringMatching(/a\.ts$/), expect.stringMatching(/b\.ts$/)]),
    ]);
  });

  it('finds the layer breach, and only that one', () => {
    expect(layerViolations(fixture, files)).toEqual([
      'options/a.ts → nest/b.ts (options may not import nest)',
    ]);
  });
});
