import { VaultAuthError } from '../../errors/vault-auth.error.js';
import type { VaultAuthBlock } from '../../interfaces/vault-envelope.interface.js';
import type { VaultLoginClient } from '../auth-method.interface.js';

const REDACTED = '[REDACTED]';

const MIN_SECRET = 8;
const ELLIPSIS = '…';

/**
 * `text` with every occurrence of each secret (of 8+ characters) replaced, and the beginning of one
 * when Vault's error was cut short in the middle of it.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < MIN_SECRET) continue;
    out = out.split(s).join(REDACTED);
    const cut = out.endsWith(ELLIPSIS) ? ELLIPSIS : '';
    const head = out.slice(0, out.length - cut.length);
    for (let n = Math.min(s.length - 1, head.length); n >= MIN_SECRET; n--) {
      if (head.endsWith(s.slice(0, n))) {
        out = `${head.slice(0, head.length - n)}${REDACTED}${cut}`;
        break;
      }
    }
  }
  return out;
}

/**
 * POST auth/<mount>/login with cloud credentials. Vault's answers are untrusted: should a refusal
 * echo what was sent (a token, a signature, a header), the error carries it redacted.
 */
export async function scrubbedLogin(
  client: VaultLoginClient,
  mount: string,
  body: Record<string, unknown>,
  method: string,
  secrets: readonly string[],
): Promise<VaultAuthBlock> {
  try {
    return await client.login(mount, body, method);
  } catch (error) {
    if (!(error instanceof VaultAuthError)) throw error;
    const vaultErrors = error.vaultErrors.map(e => redact(e, secrets));
    if (vaultErrors.every((e, i) => e === error.vaultErrors[i])) throw error;
    throw new VaultAuthError({
      method: error.method,
      reason: error.reason,
      ...(error.status !== undefined ? { status: error.status } : {}),
      vaultErrors,
    });
  }
}
