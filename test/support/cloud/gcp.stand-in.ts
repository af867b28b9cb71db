/**
 * Google on 127.0.0.1, as two endpoints:
 * - the GCE metadata server (GCE_METADATA_HOST): `Metadata-Flavor: Google` required both ways; the
 *   instance identity token (signed with "Google's" OAuth2 key, `format=full` adds the
 *   compute_engine claims), the default service account's email and access tokens;
 * - Google's APIs (Vault's `custom_endpoint` api and iam, and the IAM Credentials endpoint): OpenID
 *   discovery and JWKS of that OAuth2 key, the service accounts' X.509 keys, IAM
 *   serviceAccounts.get, and signJwt, which checks the caller's access token and its permission.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canary } from '../canary.js';
import {
  header,
  startLocalEndpoint,
  type LocalEndpoint,
  type LocalRequest,
} from './local-endpoint.js';
import {
  jwks,
  newSigningKey,
  nowS,
  signJwt,
  signingKeyFromPem,
  type SigningKey,
} from './test-jwt.js';

export interface GcpServiceAccount {
  email: string;
  uniqueId: string;
  projectId: string;
}

export interface GceInstance {
  projectId: string;
  projectNumber: number;
  zone: string;
  instanceId: string;
  instanceName: string;
}

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'cloud');
const googleError = (code: number, status: string, message: string) => ({
  status: code,
  body: { error: { code, message, status } },
});

export class GcpStandIn {
  /** The key Google signs instance identity tokens with (published in its JWKS). */
  readonly oauthKey = newSigningKey();
  /** A service account key, published as X.509 (signJwt signs with it). */
  readonly saKey: SigningKey;
  readonly saCertificate: string;
  readonly accounts = new Map<string, GcpServiceAccount>();
  /** access token → the service account it belongs to. */
  private readonly accessTokens = new Map<string, GcpServiceAccount>();
  /** Who may call signJwt for whom (iam.serviceAccounts.signJwt), besides an account for itself. */
  private readonly signers = new Map<string, Set<string>>();
  /** The JWTs signJwt and the identity endpoint produced: for the canary scans. */
  readonly issued: string[] = [];
  metadata!: LocalEndpoint;
  apis!: LocalEndpoint;

  private constructor(
    readonly instanceAccount: GcpServiceAccount,
    readonly instance: GceInstance,
  ) {
    this.saKey = signingKeyFromPem(
      readFileSync(join(FIXTURES, 'google-sa-key.pem'), 'utf8'),
      randomBytes(20).toString('hex'),
    );
    this.saCertificate = readFileSync(join(FIXTURES, 'google-sa-cert.pem'), 'utf8');
    this.addAccount(instanceAccount);
  }

  static async start(
    instanceAccount: GcpServiceAccount,
    instance: GceInstance,
  ): Promise<GcpStandIn> {
    const g = new GcpStandIn(instanceAccount, instance);
    g.metadata = await startLocalEndpoint(req => g.handleMetadata(req));
    g.apis = await startLocalEndpoint(req => g.handleApis(req));
    return g;
  }

  addAccount(sa: GcpServiceAccount): void {
    this.accounts.set(sa.email, sa);
    this.accounts.set(sa.uniqueId, sa);
  }

  /** Grants `caller` iam.serviceAccounts.signJwt on `target`. */
  allowSigning(caller: string, target: string): void {
    this.signers.set(target, new Set([...(this.signers.get(target) ?? []), caller]));
  }

  secrets(): string[] {
    return [...this.accessTokens.keys(), ...this.issued];
  }

  async close(): Promise<void> {
    await Promise.all([this.metadata.close(), this.apis.close()]);
  }

  private handleMetadata(req: LocalRequest) {
    const flavor = { 'Metadata-Flavor': 'Google' };
    if (header(req, 'metadata-flavor') !== 'Google') {
      return { status: 403, headers: flavor, body: 'Missing Metadata-Flavor:Google header.' };
    }
    const sa = this.instanceAccount;
    const base = '/computeMetadata/v1/instance/service-accounts/';
    const account = req.path.startsWith(base) ? req.path.slice(base.length).split('/')[0] : '';
    if (account && account !== 'default' && account !== sa.email)
      return { status: 404, headers: flavor };
    const what = req.path.startsWith(base) ? req.path.slice(base.length + account.length + 1) : '';
    if (what === 'identity') {
      const audience = req.query.get('audience');
      if (!audience)
        return { status: 400, headers: flavor, body: 'non-empty audience parameter required' };
      const iat = nowS();
      const claims: Record<string, unknown> = {
        iss: 'https://accounts.google.com',
        aud: audience,
        azp: sa.uniqueId,
        sub: sa.uniqueId,
        email: sa.email,
        email_verified: true,
        iat,
        exp: iat + 3600,
      };
      if (req.query.get('format') === 'full') {
        const i = this.instance;
        claims.google = {
          compute_engine: {
            project_id: i.projectId,
            project_number: i.projectNumber,
            zone: i.zone,
            instance_id: i.instanceId,
            instance_name: i.instanceName,
            instance_creation_timestamp: iat - 86_400,
          },
        };
      }
      const token = signJwt(this.oauthKey, claims);
      this.issued.push(token);
      return { headers: flavor, body: token };
    }
    if (what === 'token') {
      const token = canary('gcp-access-token');
      this.accessTokens.set(token, sa);
      return {
        headers: flavor,
        body: { access_token: token, expires_in: 3599, token_type: 'Bearer' },
      };
    }
    if (what === 'email') return { headers: flavor, body: sa.email };
    if (req.path === '/computeMetadata/v1/project/project-id')
      return { headers: flavor, body: sa.projectId };
    if (req.path === '/computeMetadata/v1/universe/universe-domain')
      return { headers: flavor, body: 'googleapis.com' };
    if (req.path === '/' || req.path === '/computeMetadata/v1/instance')
      return { headers: flavor, body: '' };
    return { status: 404, headers: flavor };
  }

  private handleApis(req: LocalRequest) {
    if (req.path === '/.well-known/openid-configuration') {
      return {
        body: {
          issuer: 'https://accounts.google.com',
          jwks_uri: `${this.apis.url}/oauth2/v3/certs`,
        },
      };
    }
    if (req.path === '/oauth2/v3/certs') return { body: jwks(this.oauthKey) };
    const x509 = /^\/service_accounts\/v1\/metadata\/x509\/([^/]+)$/.exec(req.path);
    if (x509) {
      const sa = this.accounts.get(decodeURIComponent(x509[1]));
      return sa
        ? { body: { [this.saKey.kid]: this.saCertificate } }
        : googleError(404, 'NOT_FOUND', 'not found');
    }
    const sign = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):signJwt$/.exec(req.path);
    if (sign && req.method === 'POST') return this.signJwt(req, decodeURIComponent(sign[1]));
    const get = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+)$/.exec(req.path);
    if (get) {
      const sa = this.accounts.get(decodeURIComponent(get[1]));
      if (!sa) return googleError(404, 'NOT_FOUND', 'Unknown service account');
      return {
        body: {
          name: `projects/${sa.projectId}/serviceAccounts/${sa.email}`,
          projectId: sa.projectId,
          uniqueId: sa.uniqueId,
          email: sa.email,
        },
      };
    }
    return googleError(404, 'NOT_FOUND', 'not found');
  }

  private signJwt(req: LocalRequest, target: string) {
    const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1] ?? '';
    const caller = this.accessTokens.get(bearer);
    if (!caller)
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const sa = this.accounts.get(target);
    const allowed =
      sa && (sa.email === caller.email || this.signers.get(sa.email)?.has(caller.email));
    if (!sa || !allowed) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        "Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).",
      );
    }
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse((JSON.parse(req.body) as { payload: string }).payload) as Record<
        string,
        unknown
      >;
    } catch {
      return googleError(400, 'INVALID_ARGUMENT', 'payload must be a JSON object');
    }
    const signedJwt = signJwt(this.saKey, { iat: nowS(), ...claims });
    this.issued.push(signedJwt);
    return { body: { keyId: this.saKey.kid, signedJwt } };
  }
}
