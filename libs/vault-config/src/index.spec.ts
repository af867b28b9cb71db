import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const SRC = dirname(fileURLToPath(import.meta.url));
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'/g;

/** Every package a module statically imports, following relative imports (type-only ones excluded). */
function staticPackages(entry: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (/^\s*(?:import|export)\s+type\s/.test(m[0].trimStart())) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return packages;
}

/** An `exports` entry with its ES module build for `import` and its CommonJS build for `require`. */
const bothBuilds = (sub: string) => ({
  import: { types: `./dist/${sub}index.d.ts`, default: `./dist/${sub}index.js` },
  require: { types: `./dist/cjs/${sub}index.d.ts`, default: `./dist/cjs/${sub}index.js` },
});

describe('entry points', () => {
  it('the main entry never loads terminus, class-validator, class-transformer, node-vault, axios, OpenTelemetry or a cloud SDK', () => {
    const packages = staticPackages(join(SRC, 'index.ts'));
    expect(packages).toContain('@nestjs/config');
    for (const heavy of [
      '@nestjs/terminus',
      'class-validator',
      'class-transformer',
      'node-vault',
      'axios',
      '@aws-sdk/credential-providers',
      '@smithy/signature-v4',
      '@aws-crypto/sha256-js',
      'google-auth-library',
      '@opentelemetry/api',
    ]) {
      expect(packages).not.toContain(heavy);
    }
  });

  it('the health subpath is where terminus comes in, and package.json exports it', () => {
    expect(staticPackages(join(SRC, 'health', 'index.ts'))).toContain('@nestjs/terminus');
    const pkg = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8'));
    expect(pkg.exports['./health']).toEqual(bothBuilds('health/'));
    expect(pkg.typesVersions['*']['health']).toEqual(['./dist/cjs/health/index.d.ts']);
  });

  it('the transit subpath is exported; the main entry loads none of its code', () => {
    const files = new Set<string>();
    staticPackages(join(SRC, 'index.ts'), files);
    expect([...files].filter(f => f.includes('/transit/'))).toEqual([]);
    const transitFiles = new Set<string>();
    staticPackages(join(SRC, 'transit', 'index.ts'), transitFiles);
    expect(transitFiles).toContain(join(SRC, 'transit', 'transit.service.ts'));
    const pkg = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8'));
    expect(pkg.exports['./transit']).toEqual(bothBuilds('transit/'));
    expect(pkg.typesVersions['*']['transit']).toEqual(['./dist/cjs/transit/index.d.ts']);
    expect(pkg.files).toContain('dist/transit/index.js');
  });
});
