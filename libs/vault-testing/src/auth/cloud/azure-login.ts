import type { EngineRequest } from '../../engines/secret-engine.interface.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import type { VaultResult } from '../../http/vault-result.interface.js';
import { isPlainObject, type SafeRecord } from '../../util/safe-object.js';
import type { AzureRole } from './azure-role.js';
import { claimMs, keyFromJwks, parseJws, verifyRs256 } from './jws.js';
import { loginResult, textField } from './login-token.js';
import { outboundJson } from './outbound-http.js';

export interface AzureSettings {
  tenantId: string;
  resource: string;
  /** Entra ID's authority (Vault's ActiveDirectoryAuthorityHost), with a trailing slash. */
  authorityHost: string;
}

const bad = (m: string) => VaultHttpError.badRequest(m);
/** The plugin returns these as plain errors: Vault answers 500 with the message. */
const failed = (m: string) => new VaultHttpError(500, [m]);

/** OpenID discovery at <authority><tenant>/.well-known/openid-configuration, as the plugin does. */
async function verifiedClaims(token: string, s: AzureSettings, now: number): Promise<SafeRecord> {
  let issuer: unknown;
  let jwksUri: unknown;
  try {
    const discovery = await outboundJson(
      `${s.authorityHost}${encodeURIComponent(s.tenantId)}/.well-known/openid-configuration`,
    );
    issuer = isPlainObject(discovery) ? discovery.issuer : undefined;
    jwksUri = isPlainObject(discovery) ? discovery.jwks_uri : undefined;
  } catch (error) {
    throw failed((error as Error).message);
  }
  const jws = parseJws(token);
  if (!jws)
    throw failed('oidc: malformed jwt: go-jose/go-jose: compact JWS format must have three parts');
  if (jws.claims.iss !== issuer) {
    throw failed(
      `oidc: id token issued by a different provider, expected "${String(issuer)}" got "${String(jws.claims.iss).slice(0, 120)}"`,
    );
  }
  const auds = Array.isArray(jws.claims.aud) ? jws.claims.aud : [jws.claims.aud];
  if (!auds.includes(s.resource)) {
    throw failed(
      `oidc: expected audience "${s.resource}" got ${JSON.stringify(auds).slice(0, 200)}`,
    );
  }
  const exp = claimMs(jws.claims, 'exp');
  if (exp === undefined || exp < now) {
    throw failed(
      `oidc: token is expired (Token Expiry: ${exp === undefined ? 'none' : new Date(exp).toISOString()})`,
    );
  }
  let key;
  try {
    key =
      typeof jwksUri === 'string'
        ? keyFromJwks(await outboundJson(jwksUri), jws.header.kid)
        : undefined;
  } catch {
    key = undefined;
  }
  if (!key || !verifyRs256(jws, key)) {
    throw failed('failed to verify signature: failed to verify id token signature');
  }
  return jws.claims;
}

const strings = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function verifyClaims(claims: SafeRecord, role: AzureRole, now: number): void {
  const nbf = claimMs(claims, 'nbf');
  if (nbf !== undefined && nbf > now) throw failed('token is not yet valid');
  const oid = typeof claims.oid === 'string' ? claims.oid : '';
  const sp = role.boundServicePrincipalIds;
  const groups = role.boundGroupIds;
  if (sp.length === 1 && sp[0] === '*' && groups.length === 1 && groups[0] === '*') {
    throw failed(
      "expected specific bound_group_ids or bound_service_principal_ids; both cannot be '*'",
    );
  }
  if (sp.length && !(sp.length === 1 && sp[0] === '*') && !sp.includes(oid)) {
    throw failed(`service principal not authorized: ${oid}`);
  }
  const tokenGroups = strings(claims.groups);
  if (
    groups.length &&
    !(groups.length === 1 && groups[0] === '*') &&
    !tokenGroups.some(g => groups.includes(g))
  ) {
    throw failed(`groups not authorized: [${tokenGroups.join(' ')}]`);
  }
}

/**
 * verifyResource. Vault asks Azure Resource Manager whether the named VM or scale set has the
 * token's identity; the test server reads the identity's resource id from the token's `xms_mirid`
 * claim (a system-assigned identity's is the VM's or scale set's id) and compares.
 */
function verifyResource(body: SafeRecord, claims: SafeRecord, role: AzureRole): void {
  if (
    !role.boundResourceGroups.length &&
    !role.boundSubscriptionIds.length &&
    !role.boundScaleSets.length
  ) {
    return;
  }
  const sub = textField(body, 'subscription_id');
  const group = textField(body, 'resource_group_name');
  const vmss = textField(body, 'vmss_name');
  const vm = textField(body, 'vm_name');
  const resourceId = textField(body, 'resource_id');
  if (!sub || !group) throw failed('subscription_id and resource_group_name are required');
  const base = `/subscriptions/${sub}/resourcegroups/${group}/providers/`;
  let expected: string;
  if (vmss) {
    if (role.boundScaleSets.length && !role.boundScaleSets.includes(vmss))
      throw failed('scale set not authorized');
    expected = `${base}Microsoft.Compute/virtualMachineScaleSets/${vmss}`;
  } else if (vm) {
    if (role.boundScaleSets.length)
      throw failed("bound scale set defined but this vm isn't in a scale set");
    expected = `${base}Microsoft.Compute/virtualMachines/${vm}`;
  } else {
    if (!resourceId) throw failed('resource_id is required');
    if (role.boundScaleSets.length)
      throw failed('scale set requires the vmss_name field to be set');
    expected = resourceId;
  }
  const mirid = typeof claims.xms_mirid === 'string' ? claims.xms_mirid : '';
  if (mirid.toLowerCase() !== expected.toLowerCase()) {
    throw failed('token object id does not match expected identities');
  }
  if (role.boundSubscriptionIds.length && !role.boundSubscriptionIds.includes(sub)) {
    throw failed('subscription not authorized');
  }
  if (role.boundResourceGroups.length && !role.boundResourceGroups.includes(group)) {
    throw failed('resource group not authorized');
  }
}

/** POST auth/azure/login { role, jwt, subscription_id?, resource_group_name?, vm_name? | vmss_name? }. */
export async function azureLogin(
  req: EngineRequest,
  roles: Map<string, AzureRole>,
  settings: Omit<AzureSettings, 'tenantId' | 'resource'> & Partial<AzureSettings>,
): Promise<VaultResult> {
  const jwt = textField(req.body, 'jwt');
  if (!jwt) throw bad('jwt is required');
  const roleName = textField(req.body, 'role');
  if (!roleName) throw bad('role is required');
  const role = roles.get(roleName.toLowerCase());
  if (!role) throw bad(`invalid role name "${roleName.slice(0, 64)}"`);
  if (!settings.tenantId)
    throw failed('unable to retrieve backend configuration: tenant_id is required');
  if (!settings.resource)
    throw failed('unable to retrieve backend configuration: resource is required');
  const now = req.core.clock.now();
  const claims = await verifiedClaims(jwt, settings as AzureSettings, now);
  verifyClaims(claims, role, now);
  verifyResource(req.body, claims, role);
  const metadata: Record<string, string> = {
    role: roleName,
    resource_group_name: textField(req.body, 'resource_group_name'),
    subscription_id: textField(req.body, 'subscription_id'),
  };
  for (const key of ['vm_name', 'vmss_name', 'resource_id']) {
    const v = textField(req.body, key);
    if (v) metadata[key] = v;
  }
  const oid = typeof claims.oid === 'string' ? claims.oid : 'unknown';
  return loginResult(req, role, metadata, oid);
}
