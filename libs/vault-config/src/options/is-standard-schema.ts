import type { StandardSchemaV1 } from '../interfaces/standard-schema.interface.js';
import { isObject } from '../utils/is-object.js';

/** A Standard Schema (Zod, Valibot, ArkType, ...): a `~standard` object whose `validate` is a function. */
export function isStandardSchema(schema: unknown): schema is StandardSchemaV1 {
  if ((typeof schema !== 'object' && typeof schema !== 'function') || schema === null) return false;
  const props: unknown = (schema as Record<string, unknown>)['~standard'];
  return isObject(props) && typeof props.validate === 'function';
}
