import { toSafe, type SafeRecord, safeRecord, isPlainObject } from '../util/safe-object.js';
import { VaultHttpError } from './vault-http.error.js';

/** The request body as Vault's `parseJSONRequest` sees it: empty → `{}`, not an object → 400. */
export function parseJsonBody(raw: Buffer): SafeRecord {
  const text = raw.toString('utf8');
  if (text.trim() === '') return safeRecord();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw VaultHttpError.badRequest(`failed to decode JSON input: ${describeJsonError(err)}`);
  }
  if (parsed === null) return safeRecord();
  if (!isPlainObject(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed;
    throw VaultHttpError.badRequest(
      `failed to decode JSON input: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`,
    );
  }
  try {
    return toSafe(parsed) as SafeRecord;
  } catch {
    throw VaultHttpError.badRequest('failed to decode JSON input: nesting too deep');
  }
}

/** Go-like wording without echoing any of the input (V8's messages quote a snippet of it). */
function describeJsonError(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const token = /Unexpected token '(.)'/.exec(message);
  if (token) return `invalid character '${token[1]}' looking for beginning of value`;
  if (/end of JSON input|Unterminated/i.test(message)) return 'unexpected EOF';
  const position = /position (\d+)/.exec(message);
  return position ? `invalid JSON at offset ${position[1]}` : 'invalid JSON';
}
