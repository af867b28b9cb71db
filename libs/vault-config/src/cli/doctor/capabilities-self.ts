import type { VaultClient } from '../../client/vault.client.js';
import { isObject } from '../../utils/is-object.js';

/** POST sys/capabilities-self; undefined when the token may not ask or the answer is unusable. */
export async function capabilitiesOf(
  client: VaultClient,
  paths: string[],
): Promise<Map<string, Set<string>> | undefined> {
  if (!paths.length) return new Map();
  try {
    const res = await client.request({
      method: 'POST',
      path: 'sys/capabilities-self',
      body: { paths },
      idempotent: true,
    });
    if (res.status !== 200 || !isObject(res.body)) return undefined;
    const data = isObject(res.body.data) ? res.body.data : res.body;
    const out = new Map<string, Set<string>>();
    for (const path of paths) {
      const caps = Object.hasOwn(data, path) ? data[path] : undefined;
      if (!Array.isArray(caps)) return undefined;
      out.set(path, new Set(caps.filter((c): c is string => typeof c === 'string')));
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Whether the capabilities grant `capability` (root grants all; deny wins). */
export const can = (caps: Set<string> | undefined, capability: string): boolean =>
  caps !== undefined && !caps.has('deny') && (caps.has('root') || caps.has(capability));

/** The HCL block that would grant `capabilities` on `path`. */
export const policyFix = (path: string, capabilities: string[]): string =>
  `add to the token's policy: path "${path}" { capabilities = [${capabilities.map(c => `"${c}"`).join(', ')}] }`;
