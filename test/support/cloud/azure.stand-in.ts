/**
 * Azure on 127.0.0.1, one endpoint playing three parties:
 * - the instance metadata service (`Metadata: true` required): managed identity access tokens for
 *   a resource, and the instance document (subscription, resource group, VM or scale set);
 * - Entra ID: the tenant's OpenID configuration (issuer `https://sts.windows.net/<tenant>/`, as
 *   Entra's v1 tokens carry it), its JWKS, and the token endpoint that exchanges a workload
 *   identity's federated token (client-assertion flow) for an access token;
 * - the AKS cluster's OIDC issuer, whose key signs the pods' federated tokens.
 * Access tokens are RS256 JWTs with aud, iss, oid, tid, appid and, for managed identities, xms_mirid.
 */
import { randomUUID } from 'node:crypto';
import { canary } from '../canary.js';
import {
  header,
  startLocalEndpoint,
  type LocalEndpoint,
  type LocalRequest,
} from './local-endpoint.js';
import { jwks, newSigningKey, nowS, signJwt, verifiedClaims } from './test-jwt.js';

export interface AzureVm {
  subscriptionId: string;
  resourceGroupName: string;
  name: string;
  /** Set for an instance of a scale set: the identity is the scale set's. */
  vmScaleSetName?: string;
  /** The system-assigned identity's principal (object) id. */
  principalId: string;
}

export interface FederatedApp {
  clientId: string;
  /** The service principal's object id (the token's `oid`). */
  objectId: string;
  /** `system:serviceaccount:<namespace>:<name>` trusted by the app's federated credential. */
  subject: string;
}

const oauthError = (status: number, error: string, description: string) => ({
  status,
  body: { error, error_description: description },
});

export class AzureStandIn {
  readonly entraKey = newSigningKey();
  readonly clusterKey = newSigningKey();
  readonly tenantId = randomUUID();
  readonly issued: string[] = [];
  readonly apps = new Map<string, FederatedApp>();
  /** Lifetime of the access tokens it issues. */
  tokenTtlS = 3600;
  private endpoint!: LocalEndpoint;

  private constructor(public vm: AzureVm) {}

  static async start(vm: AzureVm): Promise<AzureStandIn> {
    const a = new AzureStandIn(vm);
    a.endpoint = await startLocalEndpoint(req => a.handle(req));
    return a;
  }

  get url(): string {
    return this.endpoint.url;
  }

  get requests(): LocalRequest[] {
    return this.endpoint.requests;
  }

  get issuer(): string {
    return `https://sts.windows.net/${this.tenantId}/`;
  }

  get clusterIssuer(): string {
    return `${this.url}/aks-issuer`;
  }

  /** A pod's projected service account token, signed by the cluster's OIDC issuer. */
  federatedToken(subject: string, audience = 'api://AzureADTokenExchange', ttlS = 3600): string {
    const iat = nowS();
    const token = signJwt(this.clusterKey, {
      iss: this.clusterIssuer,
      aud: [audience],
      sub: subject,
      iat,
      nbf: iat,
      exp: iat + ttlS,
      jti: canary('federated-token'),
    });
    this.issued.push(token);
    return token;
  }

  secrets(): string[] {
    return [...this.issued];
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }

  private accessToken(audience: string, claims: Record<string, unknown>): string {
    const iat = nowS();
    const token = signJwt(this.entraKey, {
      aud: audience,
      iss: this.issuer,
      iat,
      nbf: iat,
      exp: iat + this.tokenTtlS,
      tid: this.tenantId,
      uti: canary('azure-access-token'),
      ver: '1.0',
      ...claims,
    });
    this.issued.push(token);
    return token;
  }

  private handle(req: LocalRequest) {
    if (req.path.startsWith('/metadata/')) return this.imds(req);
    if (req.path === `/${this.tenantId}/.well-known/openid-configuration`) {
      return { body: { issuer: this.issuer, jwks_uri: `${this.url}/common/discovery/keys` } };
    }
    if (req.path === '/common/discovery/keys') return { body: jwks(this.entraKey) };
    if (req.path === '/aks-issuer/.well-known/openid-configuration') {
      return {
        body: { issuer: this.clusterIssuer, jwks_uri: `${this.url}/aks-issuer/openid/v1/jwks` },
      };
    }
    if (req.path === '/aks-issuer/openid/v1/jwks') return { body: jwks(this.clusterKey) };
    if (req.path === `/${this.tenantId}/oauth2/v2.0/token` && req.method === 'POST')
      return this.exchange(req);
    return { status: 404, body: { error: 'not_found' } };
  }

  private imds(req: LocalRequest) {
    if (header(req, 'metadata') !== 'true') {
      return oauthError(400, 'invalid_request', 'Required metadata header not specified');
    }
    if (header(req, 'x-forwarded-for'))
      return oauthError(400, 'invalid_request', 'proxied requests are refused');
    const vm = this.vm;
    if (req.path === '/metadata/instance') {
      if (!req.query.get('api-version'))
        return {
          status: 400,
          body: { error: 'Bad request. api-version was not specified in the request' },
        };
      return {
        body: {
          compute: {
            location: 'westeurope',
            name: vm.vmScaleSetName ? `${vm.vmScaleSetName}_0` : vm.name,
            resourceGroupName: vm.resourceGroupName,
            subscriptionId: vm.subscriptionId,
            vmScaleSetName: vm.vmScaleSetName ?? '',
            vmId: randomUUID(),
          },
        },
      };
    }
    if (req.path === '/metadata/identity/oauth2/token') {
      const resource = req.query.get('resource');
      if (req.query.get('api-version') !== '2018-02-01' || !resource) {
        return oauthError(400, 'invalid_request', 'resource and api-version are required');
      }
      const kind = vm.vmScaleSetName ? 'virtualMachineScaleSets' : 'virtualMachines';
      const name = vm.vmScaleSetName ?? vm.name;
      const token = this.accessToken(resource, {
        oid: vm.principalId,
        sub: vm.principalId,
        appid: randomUUID(),
        xms_mirid: `/subscriptions/${vm.subscriptionId}/resourcegroups/${vm.resourceGroupName}/providers/Microsoft.Compute/${kind}/${name}`,
      });
      const exp = nowS() + this.tokenTtlS;
      return {
        body: {
          access_token: token,
          client_id: randomUUID(),
          expires_in: String(this.tokenTtlS),
          expires_on: String(exp),
          ext_expires_in: String(this.tokenTtlS),
          not_before: String(nowS()),
          resource,
          token_type: 'Bearer',
        },
      };
    }
    return { status: 404, body: { error: 'not_found' } };
  }

  private exchange(req: LocalRequest) {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'AADSTS70003: unsupported grant type');
    }
    if (
      form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    ) {
      return oauthError(400, 'invalid_request', 'AADSTS50027: invalid client_assertion_type');
    }
    const app = this.apps.get(form.get('client_id') ?? '');
    if (!app)
      return oauthError(
        400,
        'unauthorized_client',
        'AADSTS700016: application not found in the directory',
      );
    const claims = verifiedClaims(this.clusterKey, form.get('client_assertion') ?? '');
    const audiences = Array.isArray(claims?.aud) ? claims.aud : [claims?.aud];
    if (
      !claims ||
      claims.iss !== this.clusterIssuer ||
      !audiences.includes('api://AzureADTokenExchange') ||
      claims.sub !== app.subject ||
      typeof claims.exp !== 'number' ||
      claims.exp < nowS()
    ) {
      return oauthError(
        400,
        'invalid_client',
        'AADSTS70021: No matching federated identity record found for presented assertion.',
      );
    }
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default'))
      return oauthError(400, 'invalid_scope', 'AADSTS70011: invalid scope');
    const token = this.accessToken(scope.slice(0, -'.default'.length), {
      oid: app.objectId,
      sub: app.objectId,
      appid: app.clientId,
    });
    return {
      body: {
        token_type: 'Bearer',
        expires_in: this.tokenTtlS,
        ext_expires_in: this.tokenTtlS,
        access_token: token,
      },
    };
  }
}
