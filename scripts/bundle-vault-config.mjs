// Bundles the published JavaScript of nestjs-vault-config after `tsc -b`: one file per entry
// (dist/index.js, dist/health/index.js, dist/transit/index.js, the `vault-config` CLI dist/cli.js) plus shared chunks in dist/chunks/, so an app loads 3 files
// instead of ~60 at boot. The entries share chunks, so error classes stay the same across
// `nestjs-vault-config`, `/health` and `/transit` (instanceof holds). Every package stays
// external, so class-validator/class-transformer remain lazy `import()`s. The .d.ts files are tsc's.
//
// The entries are read from src/*.ts (pure re-export files) instead of dist/, because the bundle
// overwrites dist/index.js and an incremental `tsc -b` does not re-emit an unchanged file.
import { chmod, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const lib = join(dirname(fileURLToPath(import.meta.url)), '..', 'libs', 'vault-config');
const dist = join(lib, 'dist');
const entries = {
  index: 'index',
  'health/index': 'health/index',
  'transit/index': 'transit/index',
  cli: 'cli',
};

const entriesFromSource = {
  name: 'entries-from-source',
  setup(b) {
    b.onResolve({ filter: /^vault-config-entry:/ }, args => ({
      path: args.path.slice('vault-config-entry:'.length),
      namespace: 'vault-config-entry',
    }));
    b.onLoad({ filter: /.*/, namespace: 'vault-config-entry' }, async args => {
      const { readFile } = await import('node:fs/promises');
      return {
        contents: await readFile(join(lib, 'src', `${args.path}.ts`), 'utf8'),
        loader: 'ts',
        resolveDir: join(dist, dirname(args.path)),
      };
    });
  },
};

await rm(join(dist, 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: Object.entries(entries).map(([out, src]) => ({
    in: `vault-config-entry:${src}`,
    out,
  })),
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
  plugins: [entriesFromSource],
});
// npm links `bin` entries as they are: the CLI must be executable.
await chmod(join(dist, 'cli.js'), 0o755);
