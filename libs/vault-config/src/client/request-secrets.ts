import type { VaultRequest, VaultResponse } from '../interfaces/vault-transport.interface.js';
import { isObject } from '../utils/is-object.js';

/** Shorter strings are not cut out of Vault's errors: they would mangle ordinary words. */
const MIN_LENGTH = 4;
/** How deep a body is searched for strings: request bodies are shallow, this is only a bound. */
const MAX_DEPTH = 8;

/**
 * Body fields that name something (a role, a certificate's names, a key type) rather than hold a
 * secret: Vault's errors quote them to say what is wrong ("common name x not allowed by this role").
 */
const NAME_FIELDS = new Set([
  'role',
  'name',
  'username',
  'type',
  'format',
  'ttl',
  'common_name',
  'alt_names',
  'ip_sans',
  'uri_sans',
  'other_sans',
]);

/**
 * What a request carries that Vault (or a proxy) must not be able to echo into our errors, logs and
 * health: the token it sends (the client's, or a wrapping token) and every string of its body
 * (a secret ID, a password, a JWT, a plaintext, the values of a write), but for the top-level
 * NAME_FIELDS.
 */
export function requestSecrets(req: VaultRequest): string[] {
  const found = new Set<string>();
  if (req.token) found.add(req.token);
  collect(req.body, found, 0);
  // Longest first: a secret that contains another is cut out whole.
  return [...found].filter(s => s.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
}

function collect(value: unknown, into: Set<string>, depth: number): void {
  if (typeof value === 'string') into.add(value);
  else if (depth >= MAX_DEPTH) return;
  else if (Array.isArray(value)) for (const item of value) collect(item, into, depth + 1);
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      // Top level only: a KV write's `data.name` is a value.
      if (depth > 0 || !NAME_FIELDS.has(key)) collect(item, into, depth + 1);
    }
  }
}

/**
 * `res` with each of the request's `secrets` cut out of Vault's `errors` strings, before anything
 * shortens them (a cut-off echo would leave a prefix behind). The strings reach error messages,
 * `vaultErrors`, logs and `/health`'s `lastError`.
 */
export function redactEchoes(res: VaultResponse, secrets: readonly string[]): VaultResponse {
  const body = res.body;
  if (secrets.length === 0 || !isObject(body) || !Array.isArray(body.errors)) return res;
  const errors = (body.errors as unknown[]).map(e =>
    typeof e === 'string' ? secrets.reduce((text, s) => text.split(s).join('[REDACTED]'), e) : e,
  );
  // In place: a failover transport marks the answer object with the node it came from.
  res.body = { ...body, errors };
  return res;
}
