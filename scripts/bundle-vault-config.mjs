// Bundles the published JavaScript of nestjs-vault-config after `tsc -b`, so an app loads few files
// at boot (each module file costs its own resolve, read and compile):
//   dist/index.js          the main entry: Nest wiring, SecretsService, loaders (what an import needs)
//   dist/errors.js         the error classes, shared by every bundle below (instanceof holds across
//                          `nestjs-vault-config`, `/health`, `/transit` and the runtime)
//   dist/runtime.js        reading, refresh, renewals: loaded with import() when forRoot starts a read
//   dist/metrics.js        the OpenTelemetry instruments: loaded with import() after the first load
//   dist/health/index.js, dist/transit/index.js   the subpaths
//   dist/cli.js            the `vault-config` CLI, on its own (its own process: nothing shared)
// Every package stays external, so class-validator, the cloud SDKs and OpenTelemetry remain lazy
// `import()`s. The .d.ts files are tsc's.
//
// The overwritten entries are read from src/*.ts (pure re-export files) instead of dist/, because an
// incremental `tsc -b` does not re-emit an unchanged file that the bundle replaced.
import { chmod, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const lib = join(dirname(fileURLToPath(import.meta.url)), '..', 'libs', 'vault-config');
const dist = join(lib, 'dist');

const errorFiles = (await readdir(join(dist, 'errors'))).filter(
  f => f.endsWith('.js') && !f.includes('.spec'),
);

/** An entry's re-exports from src/<name>.ts, resolved against dist/ (esbuild's onLoad result). */
const fromSource = name => async () => ({
  contents: await readFile(join(lib, 'src', `${name}.ts`), 'utf8'),
  loader: 'ts',
  resolveDir: join(dist, dirname(name)),
});

/** Imports of the shared errors and of the lazy runtime / metrics become imports of their bundles. */
const LAZY = {
  'runtime.js': join(dist, 'runtime', 'runtime-entry.js'),
  'metrics.js': join(dist, 'metrics', 'start-vault-metrics.js'),
};
function shared(outDir, { keep } = {}) {
  const to = file => {
    const rel = relative(outDir, join(dist, file));
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  return {
    name: 'shared-bundles',
    setup(b) {
      b.onResolve({ filter: /^\./ }, args => {
        const target = resolve(args.resolveDir, args.path);
        if (dirname(target) === join(dist, 'errors'))
          return { path: to('errors.js'), external: true };
        const lazy = Object.keys(LAZY).find(bundle => bundle !== keep && LAZY[bundle] === target);
        return lazy ? { path: to(lazy), external: true } : undefined;
      });
    },
  };
}

/** The entry point `vault-config-entry`, whose module is what `load()` gives. */
const virtualEntry = (name, load) => ({
  name: `entry-${name}`,
  setup(b) {
    b.onResolve({ filter: /^vault-config-entry$/ }, () => ({ path: name, namespace: 'entry' }));
    b.onLoad({ filter: /.*/, namespace: 'entry' }, load);
  },
});

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  logLevel: 'warning',
};

await rm(join(dist, 'chunks'), { recursive: true, force: true });
await Promise.all([
  // The shared error classes.
  build({
    ...common,
    entryPoints: ['vault-config-entry'],
    outfile: join(dist, 'errors.js'),
    plugins: [
      virtualEntry('errors', () => ({
        contents: errorFiles.map(f => `export * from './errors/${f}';`).join('\n'),
        loader: 'js',
        resolveDir: dist,
      })),
    ],
  }),
  // The runtime (everything below the Nest layer that a read needs), and the metrics layer that
  // the module connects to it after the first load.
  ...Object.entries(LAZY).map(([bundle, entry]) =>
    build({
      ...common,
      entryPoints: [entry],
      outfile: join(dist, bundle),
      plugins: [shared(dist, { keep: bundle })],
    }),
  ),
  ...[
    ['index', dist],
    ['health/index', join(dist, 'health')],
    ['transit/index', join(dist, 'transit')],
  ].map(([name, outDir]) =>
    build({
      ...common,
      entryPoints: ['vault-config-entry'],
      outfile: join(dist, `${name}.js`),
      plugins: [virtualEntry(name, fromSource(name)), shared(outDir)],
    }),
  ),
  build({
    ...common,
    entryPoints: ['vault-config-entry'],
    outfile: join(dist, 'cli.js'),
    plugins: [virtualEntry('cli', fromSource('cli'))],
  }),
]);
// npm links `bin` entries as they are: the CLI must be executable.
await chmod(join(dist, 'cli.js'), 0o755);
