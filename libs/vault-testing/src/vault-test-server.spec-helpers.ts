/**
 * Shared set-up of the vault-test-server*.spec.ts suites: a server with root token `root`, and a
 * plain-fetch client. Not part of the build (tsconfig.lib.json excludes *.spec-helpers.ts).
 */
import type { VaultTestServerOptions } from './interfaces/vault-test-server-options.interface.js';
import { VaultTestServer } from './vault-test-server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A server for one suite, root token `root`. */
export function startCoreServer(options: VaultTestServerOptions = {}): Promise<VaultTestServer> {
  return VaultTestServer.start({ rootToken: 'root', ...options });
}

export async function call(
  server: VaultTestServer,
  method: string,
  path: string,
  o: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  const token = o.token === undefined ? server.rootToken : o.token;
  if (token !== null) headers['X-Vault-Token'] = token;
  const body =
    o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const res = await fetch(`${server.url}/v1/${path}`, { method, headers, body });
  const text = await res.text();
  let json: Json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json };
}
