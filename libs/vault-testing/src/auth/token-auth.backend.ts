import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { EngineRequest, Operation, SecretEngine } from '../engines/secret-engine.interface.js';
import type { TokenEntry } from '../state/token-entry.js';
import { parseDurationSeconds, shortDuration } from '../util/duration.js';
import { authBlock, lookupData } from './token-response.js';
import { parseMeta, parseNumber, parseStringList, toBool } from './auth-params.js';
import { asText } from '../util/as-text.js';

const CUSTOM_ID_WARNING =
  'Supplying a custom ID for the token uses the weaker SHA1 hashing instead of the more secure SHA2-256 HMAC for token obfuscation. SHA1 hashed tokens on the wire leads to less secure lookups.';

/** The `token/` auth method (`auth/token/...`). */
export class TokenAuthBackend implements SecretEngine {
  needsSudo(path: string, _operation: Operation): boolean {
    return path === 'revoke-orphan' || path.startsWith('accessors');
  }

  handle(req: EngineRequest): VaultResult {
    const path = req.path.replace(/\/$/, '');
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    if (path === 'create' && write) return this.create(req, false);
    if (path === 'create-orphan' && write) return this.create(req, true);
    if (path === 'lookup-self' && (op === 'read' || write)) return this.lookupSelf(req);
    if (path === 'lookup' && write) {
      const target =
        req.body.token === undefined || req.body.token === '' ? this.self(req) : this.target(req);
      return { data: lookupData(req.core.tokens, target) };
    }
    if (path.startsWith('lookup/') && op === 'read') {
      return { data: lookupData(req.core.tokens, this.byId(req, path.slice('lookup/'.length))) };
    }
    if (path === 'lookup-accessor' && write) {
      return { data: lookupData(req.core.tokens, this.byAccessor(req), true) };
    }
    if (path === 'renew-self' && write) return this.renew(req, this.self(req));
    if (path === 'renew' && write) {
      const target = req.core.tokens.lookup(this.tokenParam(req));
      if (!target || target.namespace !== req.namespace.path) {
        throw VaultHttpError.badRequest('token not found');
      }
      return this.renew(req, target);
    }
    if (path === 'renew-accessor' && write) return this.renew(req, this.byAccessor(req));
    if (path === 'revoke-self' && write) return this.revoke(req, this.self(req).id);
    if (path === 'revoke' && write) return this.revoke(req, this.tokenParam(req));
    if (path === 'revoke-orphan' && write) return this.revoke(req, this.tokenParam(req), true);
    if (path === 'revoke-accessor' && write) return this.revoke(req, this.byAccessor(req).id);
    if (path === 'accessors' && op === 'list') {
      return { data: { keys: req.core.tokens.accessors(req.namespace.path) } };
    }
    if (path.startsWith('create/') && write) {
      throw VaultHttpError.badRequest(`unknown role ${path.slice('create/'.length)}`);
    }
    if (
      [
        'create',
        'create-orphan',
        'lookup-self',
        'lookup',
        'lookup-accessor',
        'renew-self',
        'renew',
        'renew-accessor',
        'revoke-self',
        'revoke',
        'revoke-orphan',
        'revoke-accessor',
        'accessors',
      ].includes(path)
    ) {
      throw VaultHttpError.unsupportedOperation();
    }
    throw VaultHttpError.unsupportedPath();
  }

  private self(req: EngineRequest): TokenEntry {
    if (!req.token) throw VaultHttpError.invalidToken();
    return req.token;
  }

  private lookupSelf(req: EngineRequest): VaultResult {
    return { data: lookupData(req.core.tokens, this.self(req)) };
  }

  private tokenParam(req: EngineRequest): string {
    const token = req.body.token;
    if (typeof token !== 'string' || token === '') throw VaultHttpError.badRequest('missing token');
    return token;
  }

  private byId(req: EngineRequest, id: string): TokenEntry {
    const entry = req.core.tokens.lookup(id);
    if (!entry || entry.namespace !== req.namespace.path) {
      throw new VaultHttpError(403, ['bad token']);
    }
    return entry;
  }

  private target(req: EngineRequest): TokenEntry {
    return this.byId(req, this.tokenParam(req));
  }

  private byAccessor(req: EngineRequest): TokenEntry {
    const accessor = req.body.accessor;
    if (typeof accessor !== 'string' || accessor === '') {
      throw VaultHttpError.badRequest('missing accessor');
    }
    const entry = req.core.tokens.lookupAccessor(accessor);
    if (!entry) throw VaultHttpError.badRequest('invalid accessor');
    return entry;
  }

  private create(req: EngineRequest, orphanPath: boolean): VaultResult {
    const caller = this.self(req);
    const body = req.body;
    const isRoot = caller.policies.includes('root');
    const hasSudo = isRoot || (req.acl?.allows(req.apiPath, 'sudo') ?? false);
    const warnings: string[] = [];

    const id = body.id;
    if (id !== undefined && id !== '') {
      if (!hasSudo) {
        throw VaultHttpError.badRequest('root or sudo privileges required to specify token id');
      }
      if (typeof id !== 'string') throw VaultHttpError.badRequest('token id must be a string');
      if (id.includes('.'))
        throw VaultHttpError.badRequest('custom token ID cannot have the "." in the value');
      if (req.core.tokens.has(id))
        throw VaultHttpError.badRequest('cannot create a token with a duplicate ID');
      warnings.push(CUSTOM_ID_WARNING);
    }
    const noParent = toBool(body.no_parent) || orphanPath;
    if (noParent && !orphanPath && !hasSudo) {
      throw VaultHttpError.badRequest('root or sudo privileges required to create orphan token');
    }
    const type = body.type;
    if (type !== undefined && type !== '' && type !== 'service' && type !== 'default') {
      throw VaultHttpError.badRequest(
        `unsupported token type "${asText(type).slice(0, 32)}" (this test server issues service tokens only)`,
      );
    }

    let policies = parseStringList(body.policies);
    if (policies === undefined || policies.length === 0) {
      policies = caller.policies.filter(p => p !== 'default' || !toBool(body.no_default_policy));
    } else if (!isRoot) {
      const allowed = new Set(caller.policies);
      const extra = policies.filter(p => p !== 'default' && !allowed.has(p));
      if (extra.length) throw VaultHttpError.badRequest('child policies must be subset of parent');
    }
    policies = normalisePolicies(policies, toBool(body.no_default_policy));
    for (const p of policies) {
      if (p !== 'root' && !req.namespace.policies.has(p))
        warnings.push(`Policy "${p}" does not exist`);
    }

    const ttl = parseDurationSeconds(body.ttl ?? body.lease, 0);
    const explicitMaxTtl = parseDurationSeconds(body.explicit_max_ttl, 0);
    const period = parseDurationSeconds(body.period, 0);
    const numUses = parseNumber(body.num_uses, 0);
    if (numUses < 0) throw VaultHttpError.badRequest('number of uses cannot be negative');
    if (ttl < 0 || explicitMaxTtl < 0 || period < 0)
      throw VaultHttpError.badRequest('ttl must be positive');
    const renewable = body.renewable === undefined ? true : toBool(body.renewable, 'renewable');
    const displayName = displayNameOf(body.display_name);

    if (period > 0 && explicitMaxTtl > 0 && period > explicitMaxTtl) {
      warnings.push(
        `period of "${shortDuration(period)}" exceeded the effective max_ttl of "${shortDuration(explicitMaxTtl)}"; period value is capped accordingly`,
      );
    }
    const entry = req.core.tokens.create({
      id: typeof id === 'string' && id !== '' ? id : undefined,
      policies,
      namespace: req.namespace.path,
      parent: caller,
      noParent,
      ttl,
      explicitMaxTtl,
      period,
      renewable,
      numUses,
      meta: parseMeta(body.meta),
      displayName,
    });
    return {
      auth: authBlock(entry),
      warnings: warnings.length ? warnings : undefined,
    };
  }

  private renew(req: EngineRequest, entry: TokenEntry): VaultResult {
    if (!entry.renewable || entry.expireTime === undefined) {
      throw VaultHttpError.badRequest('lease is not renewable');
    }
    entry.renewCheck?.(req);
    const increment = parseDurationSeconds(req.body.increment, 0);
    const { ttl, cappedFrom } = req.core.tokens.renew(entry, increment);
    const warnings =
      cappedFrom !== undefined
        ? [
            `TTL of "${shortDuration(cappedFrom)}" exceeded the effective max_ttl of "${shortDuration(ttl)}"; TTL value is capped accordingly`,
          ]
        : undefined;
    return { auth: authBlock(entry, ttl), warnings };
  }

  private revoke(req: EngineRequest, id: string, orphan = false): VaultResult {
    const entry = req.core.tokens.lookup(id);
    if (entry) req.core.revokeToken(entry.id, orphan);
    return NO_CONTENT;
  }
}

/** Sorted, deduplicated; `default` added unless root or `no_default_policy`. */
export function normalisePolicies(policies: string[], noDefault: boolean): string[] {
  const set = new Set(policies.map(p => p.trim()).filter(Boolean));
  if (set.has('root')) return ['root'];
  if (!noDefault) set.add('default');
  return [...set].sort();
}

function displayNameOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return 'token';
  const cleaned = value.trim().replace(/[^a-zA-Z0-9-]/g, '-');
  return `token-${cleaned}`;
}
