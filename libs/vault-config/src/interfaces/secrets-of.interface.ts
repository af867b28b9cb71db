import type { StandardSchemaV1, StandardSchemaV1Output } from './standard-schema.interface.js';

/**
 * The secrets type a `schema` describes, for `SecretsService<SecretsOf<typeof schema>>`: the output
 * type of a Standard Schema (Zod, Valibot, ArkType: after its coercions, e.g. `number` for
 * `z.coerce.number()`), or the instance type of a class-validator class.
 * @publicApi
 */
export type SecretsOf<S> = S extends StandardSchemaV1
  ? ObjectOrNever<StandardSchemaV1Output<S>>
  : S extends abstract new (...args: never[]) => infer I
    ? ObjectOrNever<I>
    : never;

/** `SecretsService<T extends object>`: a schema of anything but an object describes no secrets. */
type ObjectOrNever<T> = T extends object ? T : never;
