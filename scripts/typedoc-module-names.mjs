// TypeDoc plugin for docs/api: names each entry point's module by the specifier users import it
// with (`nestjs-vault-config/health`), not by its folder (`vault-config/src/health`), and leaves out
// the constructors of the classes Nest creates (their parameters are internal providers).
import { Converter, ReflectionKind } from 'typedoc';

const IMPORT_NAMES = {
  'vault-config/src': 'nestjs-vault-config',
  'vault-config/src/health': 'nestjs-vault-config/health',
  'vault-config/src/transit': 'nestjs-vault-config/transit',
  'vault-config/src/pg': 'nestjs-vault-config/pg',
  'vault-testing/src': 'nestjs-vault-config-testing',
};

/** Injected by Nest, never constructed by users. */
const NEST_CREATED = [
  'SecretsService',
  'VaultHealthIndicator',
  'TransitService',
  'VaultConfigModule',
];

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, context => {
    const { project } = context;
    for (const mod of project.getChildrenByKind(ReflectionKind.Module)) {
      const name = IMPORT_NAMES[mod.name];
      if (!name) throw new Error(`typedoc-module-names: no import name for module ${mod.name}`);
      mod.name = name;
    }
    for (const className of NEST_CREATED) {
      const classes = project.getReflectionsByKind(ReflectionKind.Class);
      const cls = classes.find(c => c.name === className);
      if (!cls) throw new Error(`typedoc-module-names: no exported class ${className}`);
      for (const ctor of cls.getChildrenByKind(ReflectionKind.Constructor))
        project.removeReflection(ctor);
    }
  });
}
