import type { ValidationError } from 'class-validator';
import type { InvalidSecret } from '../errors/invalid-secrets.error.js';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import type {
  VaultSchemaClass,
  VaultSecretsSchema,
} from '../interfaces/vault-config-options.interface.js';
import { isStandardSchema } from '../options/is-standard-schema.js';
import type { SchemaCheck } from './schema-check.interface.js';
import { standardSchemaCheck } from './standard-schema-check.js';

export type { SchemaCheck } from './schema-check.interface.js';

/**
 * A Standard Schema (its `~standard` property: Zod, Valibot, ArkType) validates with its own library,
 * no other import. A class loads class-validator and class-transformer with `import()` — only
 * when a class is given, so apps without one never pay their import cost (docs/measured-costs.md). Conversion is
 * `plainToInstance(schema, values, { enableImplicitConversion: true })`. Failures are reported by
 * property path and constraint NAMES only: class-validator's messages, `value` and `target` can hold
 * the secret and are dropped.
 */
export async function loadSchemaCheck(schema: VaultSecretsSchema): Promise<SchemaCheck> {
  if (isStandardSchema(schema)) return standardSchemaCheck(schema);
  return loadClassSchemaCheck(schema);
}

async function loadClassSchemaCheck(schema: VaultSchemaClass): Promise<SchemaCheck> {
  let validator: typeof import('class-validator');
  let transformer: typeof import('class-transformer');
  try {
    // class-transformer needs Reflect.getMetadata; Nest apps load reflect-metadata already.
    if (typeof (Reflect as { getMetadata?: unknown }).getMetadata !== 'function') {
      await import('reflect-metadata');
    }
    [validator, transformer] = await Promise.all([
      import('class-validator'),
      import('class-transformer'),
    ]);
  } catch {
    throw new VaultConfigOptionsError([
      {
        option: 'schema',
        message: 'needs the class-validator and class-transformer packages installed',
      },
    ]);
  }
  const metadata = validator
    .getMetadataStorage()
    .getTargetValidationMetadatas(schema, '', true, false);
  const properties = [...new Set(metadata.map(m => m.propertyName))];
  if (!properties.length) {
    // class-validator would reject every value of such a class as "unknown".
    throw new VaultConfigOptionsError([
      {
        option: 'schema',
        message: `${schema.name || 'the class'} has no class-validator decorators (e.g. @IsString())`,
      },
    ]);
  }
  return {
    properties,
    async validate(input) {
      const target: new () => object = schema;
      const instance = transformer.plainToInstance(target, input, {
        enableImplicitConversion: true,
      }) as Record<string, unknown>;
      const errors = await validator.validate(instance, {
        validationError: { target: false, value: false },
      });
      const failures: InvalidSecret[] = [];
      for (const error of errors) collect(error, '', failures);
      const values = new Map<string, unknown>();
      for (const property of properties) {
        if (Object.hasOwn(instance, property) && instance[property] !== undefined) {
          values.set(property, instance[property]);
        }
      }
      return { values, failures };
    },
  };
}

function collect(error: ValidationError, parent: string, out: InvalidSecret[]): void {
  const key = parent ? `${parent}.${error.property}` : error.property;
  const constraints = Object.keys(error.constraints ?? {});
  if (constraints.length) out.push({ key, constraints });
  for (const child of error.children ?? []) collect(child, key, out);
}
