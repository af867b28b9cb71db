import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import { health, sealStatus } from './health.handler.js';

/** `sys/health`, `sys/seal-status`, `sys/seal`, `sys/unseal`, `sys/leader`, `sys/init`. */
export function sealRoutes(req: CoreRequest, path: string): VaultResult | undefined {
  const op = req.operation;
  const write = op === 'create' || op === 'update';
  const core = req.core;
  if (path === 'health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new VaultHttpError(405, []);
    return health(core, req.query, req.method === 'HEAD');
  }
  if (path === 'seal-status') {
    if (op !== 'read') throw new VaultHttpError(405, []);
    return { raw: sealStatus(core) };
  }
  if (path === 'seal') {
    if (!write) throw new VaultHttpError(405, []);
    core.sealed = true;
    return NO_CONTENT;
  }
  if (path === 'unseal') {
    if (!write) throw new VaultHttpError(405, []);
    return unseal(req);
  }
  if (path === 'leader') {
    if (op !== 'read') throw new VaultHttpError(405, []);
    return {
      raw: {
        ha_enabled: false,
        is_self: false,
        active_time: '0001-01-01T00:00:00Z',
        leader_address: '',
        leader_cluster_address: '',
        performance_standby: false,
        performance_standby_last_remote_wal: 0,
      },
    };
  }
  if (path === 'init') {
    if (op !== 'read') throw new VaultHttpError(405, []);
    return { raw: { initialized: core.healthMode !== 'uninitialized' } };
  }
  return undefined;
}

function unseal(req: CoreRequest): VaultResult {
  const core = req.core;
  if (req.body.reset === true) return { raw: sealStatus(core) };
  const key = req.body.key;
  if (typeof key !== 'string' || key === '') {
    throw VaultHttpError.badRequest(
      "'key' must be specified in request body as JSON, or 'reset' set to true",
    );
  }
  const hex = Buffer.from(core.unsealKey, 'base64').toString('hex');
  const isHex = /^[0-9a-fA-F]+$/.test(key) && key.length % 2 === 0;
  const isBase64 = /^[A-Za-z0-9+/]+={0,2}$/.test(key) && key.length % 4 === 0;
  if (!isHex && !isBase64) {
    throw VaultHttpError.badRequest("'key' must be a valid hex or base64 string");
  }
  if (key !== core.unsealKey && key.toLowerCase() !== hex) {
    throw VaultHttpError.badRequest(
      'unable to retrieve stored keys: invalid key: failed to decrypt keys from storage: cipher: message authentication failed',
    );
  }
  core.sealed = false;
  return { raw: sealStatus(core) };
}
