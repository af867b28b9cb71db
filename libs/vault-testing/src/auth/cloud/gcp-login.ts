import type { EngineRequest } from '../../engines/secret-engine.interface.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import type { VaultResult } from '../../http/vault-result.interface.js';
import { isPlainObject, type SafeRecord } from '../../util/safe-object.js';
import type { GcpRole } from './gcp-role.js';
import {
  googleSigningKey,
  serviceAccount,
  type GoogleEndpoints,
  type ServiceAccount,
} from './google-apis.js';
import { claimMs, parseJws, verifyRs256 } from './jws.js';
import { loginResult, textField } from './login-token.js';

const EXP_TOLERANCE_MS = 60_000;
const MAX_JWT_EXP_MS = 60 * 60_000;
const bad = (m: string) => VaultHttpError.badRequest(m);

interface GceMetadata {
  projectId: string;
  projectNumber: string;
  zone: string;
  instanceId: string;
  instanceName: string;
  createdAt: string;
}

function gceMetadata(claims: SafeRecord): GceMetadata | undefined {
  const google = isPlainObject(claims.google) ? claims.google : undefined;
  const ce = google && isPlainObject(google.compute_engine) ? google.compute_engine : undefined;
  if (!ce || typeof ce.instance_id !== 'string' || ce.instance_id === '') return undefined;
  const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return {
    projectId: s(ce.project_id),
    projectNumber: s(ce.project_number),
    zone: s(ce.zone),
    instanceId: s(ce.instance_id),
    instanceName: s(ce.instance_name),
    createdAt: s(ce.instance_creation_timestamp),
  };
}

/** validateBaseJWTClaims: an `exp` within the hour, a subject, every `aud` ending in vault/<role>. */
function checkBaseClaims(claims: SafeRecord, role: string, now: number): string {
  const exp = claimMs(claims, 'exp');
  if (exp === undefined || exp < now - EXP_TOLERANCE_MS) {
    throw bad("JWT is expired or does not have proper 'exp' claim");
  }
  if (exp - now > MAX_JWT_EXP_MS + EXP_TOLERANCE_MS) {
    throw bad(`JWT must expire in 60 minutes, expires in ${Math.round((exp - now) / 1000)}s`);
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw bad("expected JWT to have 'sub' claim with service account id or email");
  }
  const suffix = `vault/${role}`;
  const auds = Array.isArray(claims.aud)
    ? claims.aud
    : claims.aud === undefined
      ? []
      : [claims.aud];
  if (auds.some(a => typeof a !== 'string' || !a.endsWith(suffix))) {
    throw bad(`at least one of the JWT claim 'aud' must end in "${suffix}"`);
  }
  return claims.sub;
}

function authorizeServiceAccount(sa: ServiceAccount, role: GcpRole): void {
  if (role.boundProjects.length && !role.boundProjects.includes(sa.projectId)) {
    throw bad(
      `service account "${sa.email}" not in bound projects [${role.boundProjects.join(' ')}]`,
    );
  }
  const accounts = role.boundServiceAccounts;
  if (accounts.length === 1 && accounts[0] === '*') return;
  if (role.type === 'gce' && !accounts.length) return;
  if (!accounts.includes(sa.email) && !accounts.includes(sa.uniqueId)) {
    throw bad(`service account ${sa.email} (id: ${sa.uniqueId}) is not authorized for role`);
  }
}

function authorizeInstance(meta: GceMetadata, role: GcpRole): void {
  if (role.boundProjects.length && !role.boundProjects.includes(meta.projectId)) {
    throw bad(
      `instance "${meta.instanceId}" (project "${meta.projectId}") not in bound projects [${role.boundProjects.join(' ')}]`,
    );
  }
  const zone = meta.zone.split('/').pop() ?? '';
  if (role.boundZones.length) {
    if (!role.boundZones.includes(zone))
      throw bad(`instance not in bound zones [${role.boundZones.join(' ')}]`);
  } else if (role.boundRegions.length) {
    const region = zone.replace(/-[a-z]$/, '');
    if (!role.boundRegions.includes(region)) {
      throw bad(`instance not in bound regions [${role.boundRegions.join(' ')}]`);
    }
  }
}

/**
 * POST auth/gcp/login { role, jwt } as Vault's gcp plugin checks it: the JWT verified with
 * Google's keys (or the service account's), its claims, then the service account (IAM API) and,
 * for gce, the instance's project and zone from the token's compute_engine claims.
 */
export async function gcpLogin(
  req: EngineRequest,
  roles: Map<string, GcpRole>,
  endpoints: GoogleEndpoints,
): Promise<VaultResult> {
  const roleName = textField(req.body, 'role');
  if (!roleName) throw bad('role is required');
  const role = roles.get(roleName.toLowerCase());
  if (!role) throw bad(`role "${roleName.slice(0, 64)}" not found`);
  const jwt = textField(req.body, 'jwt');
  if (!jwt) throw bad('jwt argument is required');
  const jws = parseJws(jwt);
  if (!jws)
    throw bad(
      'unable to parse signed JWT: go-jose/go-jose: compact JWS format must have three parts',
    );
  const subject = typeof jws.claims.sub === 'string' ? jws.claims.sub : '';
  let key;
  try {
    key = await googleSigningKey(endpoints, jws.header.kid, subject, role.type === 'iam');
  } catch (error) {
    throw bad(`unable to get public key for signed JWT: ${(error as Error).message}`);
  }
  if (!verifyRs256(jws, key)) throw bad('go-jose/go-jose: error in cryptographic primitive');
  const now = req.core.clock.now();
  const emailOrId = checkBaseClaims(jws.claims, roleName, now);
  const gce = gceMetadata(jws.claims);
  if (role.type === 'gce' && !gce) throw bad('expected JWT to have claims with GCE metadata');
  if (role.type === 'iam') {
    if (gce && !role.allowGceInference) {
      throw bad(`Got GCE token but IAM role "${roleName}" does not allow GCE inference`);
    }
    const exp = claimMs(jws.claims, 'exp') ?? 0;
    if (!gce && exp > now + role.maxJwtExp * 1000) {
      throw bad(`role requires that service account JWTs expire within ${role.maxJwtExp} seconds`);
    }
  }
  let sa: ServiceAccount;
  try {
    sa = await serviceAccount(endpoints, emailOrId);
  } catch (error) {
    throw bad(`Could not find service account "${emailOrId}": ${(error as Error).message}`);
  }
  if (role.type === 'gce' && gce) authorizeInstance(gce, role);
  authorizeServiceAccount(sa, role);
  const metadata: Record<string, string> = {
    role: roleName,
    service_account_id: sa.uniqueId,
    service_account_email: sa.email,
    project_id: sa.projectId,
  };
  if (gce) {
    Object.assign(metadata, {
      project_id: gce.projectId,
      project_number: gce.projectNumber,
      zone: gce.zone,
      instance_id: gce.instanceId,
      instance_name: gce.instanceName,
      instance_creation_timestamp: gce.createdAt,
    });
  }
  return loginResult(req, role, metadata, role.type === 'gce' && gce ? gce.instanceName : sa.email);
}
