import { VaultAuthError } from '../../errors/vault-auth.error.js';

/**
 * `work`, or a VaultAuthError once `deadlineMs` has passed without it: a cloud SDK's requests
 * (credential chain, metadata server) cannot all be given a deadline of their own, so the login
 * stops waiting for them. The abandoned work ends on its own (its sockets time out); its outcome
 * is dropped.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  deadlineMs: number,
  method: string,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new VaultAuthError({
          method,
          reason:
            `${what} did not arrive within ${deadlineMs / 1000} s: the endpoint is hung or too ` +
            'slow; the next login tries again',
        }),
      );
    }, deadlineMs);
    timer.unref();
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
