export const PERMISSION_DENIED = 'permission denied';
/** How Vault words a policy denial (a go-multierror wrapping `permission denied`). */
export const PERMISSION_DENIED_MULTI = '1 error occurred:\n\t* permission denied\n\n';

/** Thrown by handlers; becomes `{"errors":[...]}` (or `body` as given) with `status`. */
export class VaultHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0] ?? `status ${status}`);
    this.name = 'VaultHttpError';
  }

  static badRequest(message: string): VaultHttpError {
    return new VaultHttpError(400, [message]);
  }

  static notFound(errors: string[] = []): VaultHttpError {
    return new VaultHttpError(404, errors);
  }

  /** Bad, expired or missing token. */
  static invalidToken(): VaultHttpError {
    return new VaultHttpError(403, [PERMISSION_DENIED]);
  }

  /** A valid token whose policies do not allow the request. */
  static denied(): VaultHttpError {
    return new VaultHttpError(403, [PERMISSION_DENIED_MULTI]);
  }

  static unsupportedOperation(): VaultHttpError {
    return new VaultHttpError(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
  }

  /** A path inside a mounted backend that the backend does not serve. */
  static unsupportedPath(): VaultHttpError {
    return new VaultHttpError(404, ['1 error occurred:\n\t* unsupported path\n\n']);
  }

  static noRoute(path: string): VaultHttpError {
    return new VaultHttpError(404, [`no handler for route "${path}". route entry not found.`]);
  }

  static sealed(): VaultHttpError {
    return new VaultHttpError(503, ['Vault is sealed']);
  }
}
