import * as http from 'node:http';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type {
  VaultRequest,
  VaultResponse,
  VaultTransport,
} from '../interfaces/vault-transport.interface.js';
import { oneRequestAgent, type RedirectGuardState } from './redirect-guard.js';
import { safeErrorCode } from './retryable.js';
import { apiUrlPath } from './vault-path.js';

interface NodeVaultLike {
  request(options: {
    path: string;
    method: string;
    json?: unknown;
    headers?: Record<string, string>;
    [option: string]: unknown;
  }): Promise<unknown>;
  endpoint?: unknown;
}

/**
 * Adapter for a node-vault client the team already built (its endpoint, TLS, token, proxy). node-vault
 * is never imported by this library. node-vault rejects with raw axios errors that hold the token and
 * request body (docs/measured-costs.md): the adapter copies only the HTTP status and Vault's answer, or a
 * network error code, and drops the error object.
 *
 * Redirects are not followed, as with the default transport: node-vault's axios would follow up to
 * five, re-sending `X-Vault-Token` and the body (an AppRole secret ID) to another origin, and from
 * https to http. Each call asks node-vault not to follow (`maxRedirects: 0`, `followRedirect: false`
 * for the versions built on `request`), and hands it agents that let only the call's own request
 * through: for an http Vault any further request is stopped before it is written; for an https
 * Vault every plain-http request is stopped (no downgrade), and the https agent (node-vault's own
 * TLS settings, kept) connects only to the endpoint's host and port, so a redirect to another
 * https origin cannot reach it either. A redirect then comes back as its 3xx status, as from the
 * default transport.
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
  const endpoint = endpointUrl(vault.endpoint);
  return {
    address,
    async request(req: VaultRequest): Promise<VaultResponse> {
      const isList = req.method === 'LIST';
      const query = isList ? { ...req.query, list: 'true' } : req.query;
      const headers: Record<string, string> = { ...req.headers, 'X-Vault-Request': 'true' };
      if (req.token) headers['X-Vault-Token'] = req.token;
      if (req.namespace) headers['X-Vault-Namespace'] = req.namespace;
      const guard: RedirectGuardState = { refused: false };
      try {
        const body = await vault.request({
          path: apiUrlPath('', req.path, query).replace(/^\/v1/, ''),
          method: isList ? 'GET' : req.method,
          ...(req.body !== undefined ? { json: req.body } : {}),
          headers,
          ...noRedirects(endpoint, guard),
        });
        const empty = body === undefined || body === null || body === '';
        return { status: empty ? 204 : 200, headers: {}, body: empty ? undefined : body };
      } catch (error) {
        if (guard.refused)
          return { status: guard.firstStatus ?? 307, headers: {}, body: undefined };
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

function endpointUrl(endpoint: unknown): URL | undefined {
  try {
    return typeof endpoint === 'string' ? new URL(endpoint) : undefined;
  } catch {
    return undefined;
  }
}

/** The request options that keep node-vault (axios or `request`) from following a redirect. */
function noRedirects(
  endpoint: URL | undefined,
  guard: RedirectGuardState,
): Record<string, unknown> {
  const https = endpoint?.protocol === 'https:';
  const options: Record<string, unknown> = {
    maxRedirects: 0,
    followRedirect: false,
    followAllRedirects: false,
    httpAgent: oneRequestAgent(http.Agent, guard, !https),
  };
  if (!https) {
    options.httpsAgent = oneRequestAgent(
      process.getBuiltinModule('node:https').Agent,
      guard,
      false,
    );
  } else if (endpoint) {
    // node-vault builds this call's https agent from its own TLS settings plus these: connections
    // go to the endpoint only, whatever host a redirect names.
    options.agentOptions = {
      host: endpoint.hostname.replace(/^\[|\]$/g, ''),
      port: Number(endpoint.port || 443),
    };
  }
  return options;
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
