/**
 * AWS STS on 127.0.0.1: GetCallerIdentity with the SigV4 signature recomputed (with
 * @smithy/signature-v4) from the credentials it issued, and AssumeRoleWithWebIdentity for the
 * web identity token file of EKS (IRSA), checking the token against the OIDC issuer's key. Errors
 * come as AWS's XML. Vault's aws backend (the test server) sends the client's signed request here.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { canary } from '../canary.js';
import {
  header,
  startLocalEndpoint,
  type LocalEndpoint,
  type LocalRequest,
} from './local-endpoint.js';
import { verifiedClaims, type SigningKey } from './test-jwt.js';

export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

interface Principal extends AwsKeys {
  arn: string;
  userId: string;
}

interface WebIdentityTrust {
  issuerKey: SigningKey;
  issuer: string;
  subject: string;
}

/** One verified GetCallerIdentity, for assertions. */
export interface CallerIdentityCall {
  accessKeyId: string;
  host: string;
  region: string;
  serverIdHeader?: string;
}

const xml = (status: number, body: string) => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body,
});

const error = (status: number, code: string, message: string) =>
  xml(
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
      `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomBytes(8).toString('hex')}</RequestId></ErrorResponse>`,
  );

const ACCOUNT = '123456789012';
const MAX_SKEW_MS = 15 * 60_000;

export class AwsStsStandIn {
  readonly principals = new Map<string, Principal>();
  readonly calls: CallerIdentityCall[] = [];
  private readonly trusts = new Map<string, WebIdentityTrust>();
  private endpoint!: LocalEndpoint;

  static async start(): Promise<AwsStsStandIn> {
    const sts = new AwsStsStandIn();
    sts.endpoint = await startLocalEndpoint(req => sts.handle(req));
    return sts;
  }

  get url(): string {
    return this.endpoint.url;
  }

  /** Long-term keys of an IAM user or role (`arn:aws:iam::…`). */
  userKeys(name: string): AwsKeys & { arn: string } {
    const arn = `arn:aws:iam::${ACCOUNT}:user/${name}`;
    return this.add(arn, `AIDA${randomBytes(8).toString('hex').toUpperCase()}`, false);
  }

  /** Temporary keys of a role session, as IMDS, ECS or AssumeRole hand them out. */
  sessionKeys(role: string, session: string, ttlS = 3600): AwsKeys & { arn: string } {
    const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`;
    return this.add(
      arn,
      `AROA${randomBytes(8).toString('hex').toUpperCase()}:${session}`,
      true,
      ttlS,
    );
  }

  /** Lets web identity tokens of `issuer` for `subject` assume `roleArn`. */
  trustWebIdentity(roleArn: string, trust: WebIdentityTrust): void {
    this.trusts.set(roleArn, trust);
  }

  /** Every secret it issued: for the canary scans. */
  secrets(): string[] {
    return [...this.principals.values()]
      .flatMap(p => [p.secretAccessKey, p.sessionToken ?? ''])
      .filter(Boolean);
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }

  private add(arn: string, userId: string, temporary: boolean, ttlS = 3600) {
    const keys: Principal = {
      arn,
      userId,
      accessKeyId: `${temporary ? 'ASIA' : 'AKIA'}${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: canary('aws-secret-key'),
      ...(temporary
        ? {
            sessionToken: canary('aws-session-token'),
            expiration: new Date(Date.now() + ttlS * 1000),
          }
        : {}),
    };
    this.principals.set(keys.accessKeyId, keys);
    return keys;
  }

  private async handle(req: LocalRequest) {
    if (req.method !== 'POST') return error(400, 'InvalidAction', 'Could not find operation');
    const form = new URLSearchParams(req.body);
    switch (form.get('Action')) {
      case 'GetCallerIdentity':
        return this.getCallerIdentity(req);
      case 'AssumeRoleWithWebIdentity':
        return this.assumeRoleWithWebIdentity(form);
      default:
        return error(400, 'InvalidAction', 'Could not find operation');
    }
  }

  private async getCallerIdentity(req: LocalRequest) {
    const authorization = header(req, 'authorization') ?? '';
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    if (!m)
      return error(
        403,
        'IncompleteSignature',
        'Authorization header requires a valid SigV4 signature',
      );
    const [, accessKeyId, , region, signedList, signature] = m;
    const principal = this.principals.get(accessKeyId);
    if (!principal)
      return error(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    if (
      principal.sessionToken !== undefined &&
      header(req, 'x-amz-security-token') !== principal.sessionToken
    ) {
      return error(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    }
    if (principal.expiration && principal.expiration.getTime() < Date.now()) {
      return error(403, 'ExpiredToken', 'The security token included in the request is expired');
    }
    const host = header(req, 'host') ?? '';
    const expectedRegion =
      host === 'sts.amazonaws.com'
        ? 'us-east-1'
        : /^sts\.([a-z0-9-]+)\.amazonaws\.com/.exec(host)?.[1];
    if (region !== expectedRegion) {
      return error(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region.`);
    }
    const amzDate = header(req, 'x-amz-date') ?? '';
    const date = new Date(
      amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    if (Number.isNaN(date.getTime()) || Math.abs(Date.now() - date.getTime()) > MAX_SKEW_MS) {
      return error(403, 'SignatureDoesNotMatch', 'Signature expired or the date is invalid');
    }
    const signed = signedList.split(';');
    if (!signed.includes('host'))
      return error(403, 'SignatureDoesNotMatch', 'host must be a signed header');
    const contentHash = header(req, 'x-amz-content-sha256');
    if (
      contentHash !== undefined &&
      contentHash !== createHash('sha256').update(req.body).digest('hex')
    ) {
      return error(
        400,
        'XAmzContentSHA256Mismatch',
        'The provided x-amz-content-sha256 does not match',
      );
    }
    const headers: Record<string, string> = {};
    for (const name of signed) {
      if (name !== 'x-amz-date') headers[name] = header(req, name) ?? '';
    }
    const signer = new SignatureV4({
      credentials: principal,
      region,
      service: 'sts',
      sha256: Sha256,
      applyChecksum: false,
    });
    const recomputed = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: host,
        path: req.path,
        headers,
        body: req.body,
      },
      { signingDate: date },
    );
    const expected =
      /Signature=([0-9a-f]{64})/.exec(String(recomputed.headers.authorization))?.[1] ?? '';
    if (!timingSafeEqual(Buffer.from(expected.padEnd(64, '0')), Buffer.from(signature))) {
      return error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
    const serverId = header(req, 'x-vault-aws-iam-server-id');
    this.calls.push({
      accessKeyId,
      host,
      region,
      ...(serverId !== undefined ? { serverIdHeader: serverId } : {}),
    });
    return xml(
      200,
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
        `<GetCallerIdentityResult><Arn>${principal.arn}</Arn><UserId>${principal.userId}</UserId>` +
        `<Account>${ACCOUNT}</Account></GetCallerIdentityResult>` +
        `<ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata>` +
        `</GetCallerIdentityResponse>`,
    );
  }

  private assumeRoleWithWebIdentity(form: URLSearchParams) {
    const roleArn = form.get('RoleArn') ?? '';
    const trust = this.trusts.get(roleArn);
    const claims = trust && verifiedClaims(trust.issuerKey, form.get('WebIdentityToken') ?? '');
    if (
      !trust ||
      !claims ||
      claims.iss !== trust.issuer ||
      claims.aud !== 'sts.amazonaws.com' ||
      claims.sub !== trust.subject ||
      typeof claims.exp !== 'number' ||
      claims.exp * 1000 < Date.now()
    ) {
      return error(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    const role = roleArn.split('/').pop() ?? 'role';
    const keys = this.sessionKeys(role, form.get('RoleSessionName') ?? 'session');
    return xml(
      200,
      `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
        `<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>${keys.accessKeyId}</AccessKeyId>` +
        `<SecretAccessKey>${keys.secretAccessKey}</SecretAccessKey><SessionToken>${keys.sessionToken}</SessionToken>` +
        `<Expiration>${keys.expiration?.toISOString()}</Expiration></Credentials>` +
        `<SubjectFromWebIdentityToken>${trust.subject}</SubjectFromWebIdentityToken>` +
        `<AssumedRoleUser><Arn>${keys.arn}</Arn><AssumedRoleId>AROA:${form.get('RoleSessionName')}</AssumedRoleId></AssumedRoleUser>` +
        `<Audience>sts.amazonaws.com</Audience><Provider>${trust.issuer}</Provider>` +
        `</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
    );
  }
}
