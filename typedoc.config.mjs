// `npm run docs:api` writes the API reference of every public export to docs/api (Markdown, read on
// the repository); `npm run docs:api:check` fails when the committed files are stale.
import { OptionDefaults } from 'typedoc';

/** @type {Partial<import('typedoc').TypeDocOptions> & Record<string, unknown>} */
const config = {
  name: 'nestjs-vault-config API',
  tsconfig: 'tsconfig.typedoc.json',
  entryPoints: [
    'libs/vault-config/src/index.ts',
    'libs/vault-config/src/health/index.ts',
    'libs/vault-config/src/transit/index.ts',
    'libs/vault-config/src/pg/index.ts',
    'libs/vault-testing/src/index.ts',
  ],
  plugin: ['typedoc-plugin-markdown', './scripts/typedoc-module-names.mjs'],
  out: 'docs/api',
  readme: 'none',
  // The sources type-check in `npm run typecheck`; the reference is generated from them as they are.
  skipErrorChecking: true,
  excludeInternal: true,
  excludePrivate: true,
  excludeProtected: true,
  excludeExternals: true,
  // No links to a commit, no generator line, no dates: the same sources give the same files.
  disableSources: true,
  hideGenerator: true,
  cleanOutputDir: true,
  sort: ['kind', 'alphabetical-ignoring-documents'],
  blockTags: [...OptionDefaults.blockTags, '@publicApi'],
  excludeTags: [...OptionDefaults.excludeTags, '@publicApi'],
  validation: { notExported: true, invalidLink: true, notDocumented: false },
};

export default config;
