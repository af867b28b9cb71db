import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import type { EngineRequest, SecretEngine } from '../../engines/secret-engine.interface.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { parseNumber } from '../auth-params.js';
import { loginResult } from './login-token.js';
import { checkServerIdHeader, decodeIamRequest } from './aws-iam-request.js';
import { canonicalArn, parseIamArn, submitCallerIdentity } from './aws-caller-identity.js';
import { describeAwsRole, globbedMatch, writeAwsRole, type AwsRole } from './aws-role.js';
import { crudRoutes } from './role-routes.js';

interface AwsClientConfig {
  accessKey: string;
  secretKey: string;
  stsEndpoint: string;
  stsRegion: string;
  iamServerIdHeaderValue: string;
  maxRetries: number;
}

const DEFAULT_STS_ENDPOINT = 'https://sts.amazonaws.com';

/**
 * The `aws` auth method, IAM type, as Vault's plugin serves it: `config/client`, `role/<name>` and
 * `login`. A login's signed sts:GetCallerIdentity request is sent to `sts_endpoint` (STS verifies
 * the signature) and the caller's ARN is matched against the role's bound_iam_principal_arn. This
 * server has no IAM API: ARNs are compared as given, never resolved to unique IDs.
 */
export class AwsAuthBackend implements SecretEngine {
  private readonly roles = new Map<string, AwsRole>();
  private config: AwsClientConfig | undefined;

  isUnauthenticated(path: string): boolean {
    return path === 'login';
  }

  exists(req: EngineRequest): boolean {
    const m = /^role\/([^/]+)$/.exec(req.path);
    if (m) return this.roles.has(m[1].toLowerCase());
    return req.path === 'config/client' ? this.config !== undefined : true;
  }

  async handle(req: EngineRequest): Promise<VaultResult> {
    const path = req.path.replace(/\/$/, '');
    const write = req.operation === 'create' || req.operation === 'update';
    if (path === 'login') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      return this.login(req);
    }
    if (path === 'config/client') return this.clientConfig(req, write);
    return crudRoutes(req, path, this.roles, writeAwsRole, describeAwsRole);
  }

  private clientConfig(req: EngineRequest, write: boolean): VaultResult {
    if (req.operation === 'read') {
      if (!this.config) throw VaultHttpError.notFound();
      const c = this.config;
      return {
        data: {
          access_key: c.accessKey,
          iam_server_id_header_value: c.iamServerIdHeaderValue,
          max_retries: c.maxRetries,
          sts_endpoint: c.stsEndpoint,
          sts_region: c.stsRegion,
        },
      };
    }
    if (req.operation === 'delete') {
      this.config = undefined;
      return NO_CONTENT;
    }
    if (!write) throw VaultHttpError.unsupportedOperation();
    this.config = writeClientConfig(req.body, this.config);
    return NO_CONTENT;
  }

  private async login(req: EngineRequest): Promise<VaultResult> {
    const request = decodeIamRequest(req.body);
    if (this.config?.iamServerIdHeaderValue) {
      checkServerIdHeader(request, this.config.iamServerIdHeaderValue);
    }
    const caller = await submitCallerIdentity(
      this.config?.stsEndpoint || DEFAULT_STS_ENDPOINT,
      request,
    );
    const entity = parseIamArn(caller.arn);
    const roleName =
      typeof req.body.role === 'string' && req.body.role ? req.body.role : entity.friendlyName;
    const role = this.roles.get(roleName.toLowerCase());
    if (!role) throw VaultHttpError.badRequest(`entry for role ${roleName.slice(0, 64)} not found`);
    const canonical = canonicalArn(entity);
    const bound = role.boundIamPrincipalArns.some(
      arn => arn === canonical || (arn.endsWith('*') && globbedMatch(arn, canonical)),
    );
    if (!bound) {
      throw VaultHttpError.badRequest(
        `IAM Principal "${caller.arn}" does not belong to the role "${roleName}"`,
      );
    }
    const uniqueId = caller.userId.split(':')[0];
    return loginResult(
      req,
      role,
      {
        account_id: entity.account,
        auth_type: 'iam',
        canonical_arn: canonical,
        client_arn: caller.arn,
        client_user_id: uniqueId,
        inferred_aws_region: '',
        inferred_entity_id: '',
        inferred_entity_type: '',
        role_id: role.roleId,
      },
      entity.friendlyName,
    );
  }
}

function writeClientConfig(body: SafeRecord, current?: AwsClientConfig): AwsClientConfig {
  const text = (key: string, value: string) => (typeof body[key] === 'string' ? body[key] : value);
  const endpoint = text('sts_endpoint', current?.stsEndpoint ?? '');
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw VaultHttpError.badRequest(`invalid sts_endpoint "${endpoint.slice(0, 80)}"`);
  }
  return {
    accessKey: text('access_key', current?.accessKey ?? ''),
    secretKey: text('secret_key', current?.secretKey ?? ''),
    stsEndpoint: endpoint,
    stsRegion: text('sts_region', current?.stsRegion ?? ''),
    iamServerIdHeaderValue: text(
      'iam_server_id_header_value',
      current?.iamServerIdHeaderValue ?? '',
    ),
    maxRetries: parseNumber(body.max_retries, current?.maxRetries ?? -1),
  };
}
