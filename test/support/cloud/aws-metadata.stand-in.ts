/**
 * The AWS credential endpoints of EC2 and ECS on 127.0.0.1: IMDSv2 (a PUT for a session token,
 * then GETs that must carry it; IMDSv1 requests are refused) and the ECS container credentials
 * endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI with its authorization token). Both hand out the
 * current keys of a role session issued by the STS stand-in; `rotate()` issues new ones.
 */
import { randomBytes } from 'node:crypto';
import { canary } from '../canary.js';
import {
  header,
  startLocalEndpoint,
  type LocalEndpoint,
  type LocalRequest,
} from './local-endpoint.js';
import type { AwsKeys, AwsStsStandIn } from './aws-sts.stand-in.js';

const CREDS = '/latest/meta-data/iam/security-credentials/';

export class AwsMetadataStandIn {
  /** ECS's AWS_CONTAINER_AUTHORIZATION_TOKEN. */
  readonly containerToken = canary('ecs-auth-token');
  private readonly imdsTokens = new Set<string>();
  private keys!: AwsKeys;
  private endpoint!: LocalEndpoint;

  private constructor(
    private readonly sts: AwsStsStandIn,
    readonly roleName: string,
  ) {}

  static async start(sts: AwsStsStandIn, roleName: string): Promise<AwsMetadataStandIn> {
    const md = new AwsMetadataStandIn(sts, roleName);
    md.rotate();
    md.endpoint = await startLocalEndpoint(req => md.handle(req));
    return md;
  }

  get url(): string {
    return this.endpoint.url;
  }

  get requests(): LocalRequest[] {
    return this.endpoint.requests;
  }

  /** The keys now served. */
  get current(): AwsKeys {
    return this.keys;
  }

  /** New session keys, as EC2 and ECS rotate them before they expire. */
  rotate(): AwsKeys {
    this.keys = this.sts.sessionKeys(this.roleName, `i-${randomBytes(8).toString('hex')}`);
    return this.keys;
  }

  secrets(): string[] {
    return [this.containerToken, ...this.imdsTokens];
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }

  private body() {
    return {
      Code: 'Success',
      LastUpdated: new Date().toISOString(),
      Type: 'AWS-HMAC',
      AccessKeyId: this.keys.accessKeyId,
      SecretAccessKey: this.keys.secretAccessKey,
      Token: this.keys.sessionToken,
      Expiration: this.keys.expiration?.toISOString(),
    };
  }

  private handle(req: LocalRequest) {
    if (req.path === '/ecs/credentials') {
      if (header(req, 'authorization') !== this.containerToken)
        return { status: 403, body: { message: 'denied' } };
      const { Code: _c, LastUpdated: _l, Type: _t, ...body } = this.body();
      return { body: { ...body, RoleArn: `arn:aws:iam::123456789012:role/${this.roleName}` } };
    }
    if (req.path === '/latest/api/token') {
      const ttl = Number(header(req, 'x-aws-ec2-metadata-token-ttl-seconds'));
      if (req.method !== 'PUT' || !(ttl >= 1 && ttl <= 21600)) return { status: 400 };
      const token = canary('imds-session');
      this.imdsTokens.add(token);
      return { body: token };
    }
    if (!this.imdsTokens.has(header(req, 'x-aws-ec2-metadata-token') ?? '')) return { status: 401 };
    if (req.path === CREDS) return { body: this.roleName };
    if (req.path === `${CREDS}${this.roleName}`) return { body: this.body() };
    return { status: 404 };
  }
}
