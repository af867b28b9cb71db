// Bundles the published JavaScript of nestjs-vault-config (and nestjs-vault-config-testing) after
// `tsc -b`, so an app loads few files at boot (each module file costs its own resolve, read and
// compile). Two builds of the same bundles:
//   dist/…      ES modules: what `import` gets (Nest 12 apps, Vitest, ESM Jest)
//   dist/cjs/…  CommonJS: what `require` gets (Nest 11 apps as `nest new` made them, ts-jest in
//               CommonJS mode, which cannot load an ES module), with dist/cjs/package.json saying
//               "type": "commonjs" and a copy of the declarations (so TypeScript types them as
//               CommonJS too)
// In each build:
//   index.js          the main entry: Nest wiring, SecretsService, loaders (what an import needs)
//   errors.js         the error classes, shared by every bundle below (instanceof holds across
//                     `nestjs-vault-config`, `/health`, `/transit` and the runtime of one build)
//   runtime.js        reading, refresh, renewals: loaded lazily when forRoot starts a read
//   metrics.js        the OpenTelemetry instruments: loaded lazily after the first load
//   health/index.js, transit/index.js, pg/index.js   the subpaths (pg/ loads `pg`, an optional peer)
// and dist/cli.js, the `vault-config` CLI, on its own (its own process: nothing shared; ESM only).
// Every package stays external, so class-validator, the cloud SDKs and OpenTelemetry remain lazy
// loads. In the CommonJS build a lazy `import()` becomes a `require()` inside a promise (Jest's
// CommonJS runtime cannot run `import()` without --experimental-vm-modules). Source maps chain
// through tsc's maps to the TypeScript sources, which they embed.
//
// The overwritten entries are read from src/*.ts (pure re-export files) instead of dist/, because an
// incremental `tsc -b` does not re-emit an unchanged file that the bundle replaced.
import { chmod, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const libs = join(dirname(fileURLToPath(import.meta.url)), '..', 'libs');
const lib = join(libs, 'vault-config');
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
function shared(outDir, outRoot, { keep } = {}) {
  const to = file => {
    const rel = relative(outDir, join(outRoot, file));
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
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: true,
  logLevel: 'warning',
};
const FORMATS = {
  esm: { ...common, format: 'esm' },
  cjs: { ...common, format: 'cjs', supported: { 'dynamic-import': false } },
};

/** Every bundle of nestjs-vault-config in one format, under outRoot. */
function vaultConfigBundles(format, outRoot) {
  const options = FORMATS[format];
  return [
    // The shared error classes.
    build({
      ...options,
      entryPoints: ['vault-config-entry'],
      outfile: join(outRoot, 'errors.js'),
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
        ...options,
        entryPoints: [entry],
        outfile: join(outRoot, bundle),
        plugins: [shared(outRoot, outRoot, { keep: bundle })],
      }),
    ),
    ...['index', 'health/index', 'transit/index', 'pg/index'].map(name => {
      const outfile = join(outRoot, `${name}.js`);
      return build({
        ...options,
        entryPoints: ['vault-config-entry'],
        outfile,
        plugins: [virtualEntry(name, fromSource(name)), shared(dirname(outfile), outRoot)],
      });
    }),
  ];
}

/** dist/cjs/package.json and a copy of every declaration file, typed as CommonJS there. */
async function commonJsPackage(distDir) {
  const cjs = join(distDir, 'cjs');
  await mkdir(cjs, { recursive: true });
  await writeFile(join(cjs, 'package.json'), '{\n  "type": "commonjs"\n}\n');
  const declarations = (await readdir(distDir, { recursive: true })).filter(
    file => file.endsWith('.d.ts') && !file.startsWith('cjs/'),
  );
  await Promise.all(
    declarations.map(async file => {
      await mkdir(dirname(join(cjs, file)), { recursive: true });
      await copyFile(join(distDir, file), join(cjs, file));
    }),
  );
}

const testingDist = join(libs, 'vault-testing', 'dist');
await Promise.all([
  rm(join(dist, 'chunks'), { recursive: true, force: true }),
  rm(join(dist, 'cjs'), { recursive: true, force: true }),
  rm(join(testingDist, 'cjs'), { recursive: true, force: true }),
]);
await Promise.all([
  ...vaultConfigBundles('esm', dist),
  ...vaultConfigBundles('cjs', join(dist, 'cjs')),
  build({
    ...FORMATS.esm,
    entryPoints: ['vault-config-entry'],
    outfile: join(dist, 'cli.js'),
    plugins: [virtualEntry('cli', fromSource('cli'))],
  }),
  // The testing package's CommonJS build (its ESM build is tsc's output, file by file).
  build({
    ...FORMATS.cjs,
    entryPoints: [join(testingDist, 'index.js')],
    outfile: join(testingDist, 'cjs', 'index.js'),
  }),
]);
await Promise.all([commonJsPackage(dist), commonJsPackage(testingDist)]);
// npm links `bin` entries as they are: the CLI must be executable.
await chmod(join(dist, 'cli.js'), 0o755);
