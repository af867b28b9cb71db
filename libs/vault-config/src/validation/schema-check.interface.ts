import type { InvalidSecret } from '../errors/invalid-secrets.error.js';

/** A loaded `schema`, whichever library validates it. */
export interface SchemaCheck {
  /** Top-level keys the schema names (decorated properties; a Standard Schema's shape, when shown). */
  properties: string[];
  /** Validates; `values` are the converted output's own values for the keys it has. */
  validate(input: Record<string, unknown>): Promise<{
    values: Map<string, unknown>;
    failures: InvalidSecret[];
  }>;
}
