import type { KeyObject } from 'node:crypto';
import type { EngineRequest, SecretEngine } from '../../engines/secret-engine.interface.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { parseStringList } from '../auth-params.js';
import { issueLoginToken } from '../token-fields.js';
import {
  mappedClaims,
  userClaimOf,
  validateBoundClaims,
  validateStandardClaims,
} from './jwt-claims.js';
import { describeJwtRole, writeJwtRole, type JwtRole } from './jwt-role.js';
import { parsePublicKeys, SUPPORTED_ALGS, verifySignature } from './jwt-signature.js';

interface JwtConfig {
  pems: string[];
  keys: KeyObject[];
  boundIssuer: string;
  supportedAlgs: string[];
  defaultRole: string;
}

const KEY_SOURCES = ['jwks_url', 'jwks_pairs', 'oidc_discovery_url', 'provider_config'];

/**
 * The `jwt` auth method (Vault's JWT/OIDC plugin, role_type `jwt`): JWTs are verified against
 * `jwt_validation_pubkeys` (RS/PS/ES/EdDSA), then issuer, subject, audience, exp/nbf with leeway,
 * user claim and bound claims, with Vault's error strings. Keys are never fetched: JWKS and OIDC
 * discovery URLs are refused, and OIDC (browser) logins are not served.
 */
export class JwtBackend implements SecretEngine {
  private readonly roles = new Map<string, JwtRole>();
  private config: JwtConfig | undefined;

  isUnauthenticated(path: string): boolean {
    return path === 'login';
  }

  exists(req: EngineRequest): boolean {
    const m = /^role\/([^/]+)$/.exec(req.path);
    if (m) return this.roles.has(m[1]);
    return req.path === 'config' ? this.config !== undefined : true;
  }

  handle(req: EngineRequest): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const path = req.path.replace(/\/$/, '');
    if (path === 'login') {
      if (!write) throw new VaultHttpError(405, ['unsupported operation']);
      return this.login(req);
    }
    if (path === 'config') {
      if (op === 'read') {
        if (!this.config) throw VaultHttpError.notFound();
        return { data: describeConfig(this.config) };
      }
      if (!write) throw VaultHttpError.unsupportedOperation();
      this.writeConfig(req.body);
      return NO_CONTENT;
    }
    if (path === 'role') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      if (!this.roles.size) throw VaultHttpError.notFound();
      return { data: { keys: [...this.roles.keys()].sort() } };
    }
    const m = /^role\/([^/]+)$/.exec(path);
    if (!m) throw VaultHttpError.unsupportedPath();
    const role = this.roles.get(m[1]);
    if (op === 'read') {
      if (!role) throw VaultHttpError.notFound();
      return { data: describeJwtRole(role) };
    }
    if (write) {
      this.writeRole(m[1], req.body);
      return NO_CONTENT;
    }
    if (op === 'delete') {
      this.roles.delete(m[1]);
      return NO_CONTENT;
    }
    throw VaultHttpError.unsupportedOperation();
  }

  writeConfig(body: SafeRecord): void {
    const pems = (parseStringList(body.jwt_validation_pubkeys) ?? []).map(p => p.trim());
    const others = KEY_SOURCES.filter(k => body[k] !== undefined && body[k] !== '');
    if ((pems.length ? 1 : 0) + others.length !== 1) {
      throw VaultHttpError.badRequest(
        "exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', 'oidc_discovery_url', or 'provider_config' must be set",
      );
    }
    if (others.length) {
      throw VaultHttpError.badRequest(
        `${others[0]} is not supported by this test server: configure jwt_validation_pubkeys`,
      );
    }
    const supportedAlgs = parseStringList(body.jwt_supported_algs) ?? [];
    const unknown = supportedAlgs.find(a => !(SUPPORTED_ALGS as readonly string[]).includes(a));
    if (unknown !== undefined) {
      throw VaultHttpError.badRequest(
        `invalid jwt_supported_algs: unsupported signing algorithm "${unknown.slice(0, 32)}"`,
      );
    }
    this.config = {
      pems,
      keys: parsePublicKeys(pems),
      boundIssuer: typeof body.bound_issuer === 'string' ? body.bound_issuer : '',
      supportedAlgs,
      defaultRole: typeof body.default_role === 'string' ? body.default_role : '',
    };
  }

  writeRole(name: string, body: SafeRecord): JwtRole {
    const role = writeJwtRole(name, this.roles.get(name), body);
    this.roles.set(name, role);
    return role;
  }

  private login(req: EngineRequest): VaultResult {
    const given = req.body.role;
    const roleName = typeof given === 'string' && given !== '' ? given : this.config?.defaultRole;
    if (!roleName) throw VaultHttpError.badRequest('missing role');
    const role = this.roles.get(roleName);
    if (!role)
      throw VaultHttpError.badRequest(`role "${roleName.slice(0, 64)}" could not be found`);
    if (role.roleType === 'oidc') {
      throw VaultHttpError.badRequest('role with oidc role_type is not allowed');
    }
    const jwt = req.body.jwt;
    if (typeof jwt !== 'string' || jwt === '') throw VaultHttpError.badRequest('missing token');
    const config = this.config;
    if (!config) throw VaultHttpError.badRequest('could not load configuration');
    const { alg, claims } = verifySignature(jwt, config.keys);
    if (config.supportedAlgs.length && !config.supportedAlgs.includes(alg)) {
      throw VaultHttpError.badRequest(
        'error validating token: invalid algorithm (alg) header parameter: token signed with unexpected algorithm',
      );
    }
    validateStandardClaims(
      claims,
      role,
      config.boundIssuer,
      Math.floor(req.core.clock.now() / 1000),
    );
    const user = userClaimOf(claims, role);
    validateBoundClaims(claims, role);
    return issueLoginToken(req, role.token, {
      metadata: { ...mappedClaims(claims, role), role: role.name },
      name: user,
    });
  }
}

function describeConfig(c: JwtConfig) {
  return {
    bound_issuer: c.boundIssuer,
    default_role: c.defaultRole,
    jwks_ca_pem: '',
    jwks_url: '',
    jwt_supported_algs: [...c.supportedAlgs],
    jwt_validation_pubkeys: [...c.pems],
    namespace_in_state: true,
    oidc_client_id: '',
    oidc_discovery_ca_pem: '',
    oidc_discovery_url: '',
    oidc_response_mode: '',
    oidc_response_types: [],
    provider_config: {},
    status: 'valid',
  };
}
