import { INVALID_PASSWORD } from './vault-pg.constants.js';

/** Whether PostgreSQL refused a login for its password (28P01): a rotation not read yet. */
export function passwordRefused(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === INVALID_PASSWORD
  );
}
