import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type {
  VaultRequest,
  VaultResponse,
  VaultTransport,
} from '../interfaces/vault-transport.interface.js';
import { safeErrorCode } from './retryable.js';
import { apiUrlPath } from './vault-path.js';

interface NodeVaultLike {
  request(options: {
    path: string;
    method: string;
    json?: unknown;
    headers?: Record<string, string>;
  }): Promise<unknown>;
  endpoint?: unknown;
}

/**
 * Adapter for a node-vault client the team already built (its endpoint, TLS, token, proxy). node-vault
 * is never imported by this library. node-vault rejects with raw axios errors that hold the token and
 * request body (docs/measured-costs.md): the adapter copies only the HTTP status and Vault's answer, or a
 * network error code, and drops the error object.
 */
export function nodeVaultTransport(client: unknown): VaultTransport {
  const vault = client as NodeVaultLike;
  if (typeof vault !== 'object' || vault === null || typeof vault.request !== 'function') {
    throw new VaultConfigOptionsError([
      {
        option: 'transport',
        message: 'nodeVaultTransport() needs a node-vault client (nodeVault({...}))',
      },
    ]);
  }
  const address = safeEndpoint(vault.endpoint);
  return {
    address,
    async request(req: VaultRequest): Promise<VaultResponse> {
      const isList = req.method === 'LIST';
      const query = isList ? { ...req.query, list: 'true' } : req.query;
      const headers: Record<string, string> = { ...req.headers, 'X-Vault-Request': 'true' };
      if (req.token) headers['X-Vault-Token'] = req.token;
      if (req.namespace) headers['X-Vault-Namespace'] = req.namespace;
      try {
        const body = await vault.request({
          path: apiUrlPath('', req.path, query).replace(/^\/v1/, ''),
          method: isList ? 'GET' : req.method,
          ...(req.body !== undefined ? { json: req.body } : {}),
          headers,
        });
        const empty = body === undefined || body === null || body === '';
        return { status: empty ? 204 : 200, headers: {}, body: empty ? undefined : body };
      } catch (error) {
        const response = (error as { response?: { statusCode?: unknown; body?: unknown } } | null)
          ?.response;
        if (response && typeof response.statusCode === 'number') {
          return { status: response.statusCode, headers: {}, body: response.body };
        }
        throw new VaultUnavailableError({
          address,
          errorCode: safeErrorCode(error),
          path: req.path,
        });
      }
    },
  } as VaultTransport & { address: string };
}

function safeEndpoint(endpoint: unknown): string {
  if (typeof endpoint !== 'string') return 'node-vault endpoint';
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'node-vault endpoint';
  }
}
