import { VaultAuthError } from '../errors/vault-auth.error.js';

/**
 * Reads a credential file, trimmed (`keepSpaces`: only a final line break is dropped, for
 * passwords); errors name the file and the error code, never its content.
 */
export async function readCredentialFile(
  path: string,
  method: string,
  what: string,
  { keepSpaces = false }: { keepSpaces?: boolean } = {},
): Promise<string> {
  // Loaded on this rare path only (token, secret ID, JWT and password files), not on every boot.
  const { readFile } = await import('node:fs/promises');
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new VaultAuthError({
      method,
      reason: `cannot read the ${what} file ${path} (${typeof code === 'string' ? code : 'error'})`,
    });
  }
  const value = keepSpaces ? content.replace(/\r?\n$/, '') : content.trim();
  if (!value.trim())
    throw new VaultAuthError({ method, reason: `the ${what} file ${path} is empty` });
  return value;
}
