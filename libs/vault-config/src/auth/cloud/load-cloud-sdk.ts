import { errorName } from '../../errors/describe-error.js';
import { VaultAuthError } from '../../errors/vault-auth.error.js';

/** The package a module-not-found error is about, when it is one of `packages`. */
function missingPackage(error: unknown, packages: readonly string[]): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const text = typeof message === 'string' ? message : '';
  return packages.find(p => text.includes(`'${p}'`) || text.includes(`"${p}"`));
}

/**
 * Loads the optional SDK of a cloud method when it is first used. A missing package becomes a
 * VaultAuthError that says what to install; the main entry never imports an SDK.
 */
export async function loadCloudSdk<T>(
  method: string,
  packages: readonly string[],
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing = missingPackage(error, packages);
    throw new VaultAuthError({
      method,
      reason: missing
        ? `the ${method} method needs ${missing}, which is not installed: npm install ${packages.join(' ')}`
        : `cannot load ${packages.join(', ')} (${errorName(error)})`,
    });
  }
}
