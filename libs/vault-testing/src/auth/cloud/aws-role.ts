import { randomUUID } from 'node:crypto';
import { VaultHttpError } from '../../http/vault-http.error.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { parseStringList, toBool } from '../auth-params.js';
import {
  describeTokenFields,
  NO_TOKEN_FIELDS,
  parseTokenFields,
  type TokenFields,
} from './login-token.js';

/** An aws auth role of type iam (the only type this server serves). */
export interface AwsRole extends TokenFields {
  name: string;
  roleId: string;
  boundIamPrincipalArns: string[];
  resolveAwsUniqueIds: boolean;
}

const EC2_ONLY = [
  'bound_ami_id',
  'bound_account_id',
  'bound_region',
  'bound_vpc_id',
  'bound_subnet_id',
  'bound_iam_role_arn',
  'bound_iam_instance_profile_arn',
  'bound_ec2_instance_id',
  'role_tag',
];

/** `auth/aws/role/<name>` written as Vault's aws plugin validates it, for auth_type=iam. */
export function writeAwsRole(name: string, body: SafeRecord, existing?: AwsRole): AwsRole {
  const authType = typeof body.auth_type === 'string' ? body.auth_type : 'iam';
  if (authType !== 'iam') {
    throw VaultHttpError.badRequest(
      `auth_type ${authType.slice(0, 16)} is not served by the test server (iam only)`,
    );
  }
  const ec2 = EC2_ONLY.filter(k => body[k] !== undefined);
  if (ec2.length) {
    throw VaultHttpError.badRequest(`specified ${ec2.join(', ')} but not allowed by auth_type iam`);
  }
  if (body.inferred_entity_type !== undefined && body.inferred_entity_type !== '') {
    throw VaultHttpError.badRequest(
      'inferred_entity_type needs the EC2 API, which the test server does not have',
    );
  }
  const arns =
    parseStringList(body.bound_iam_principal_arn) ?? existing?.boundIamPrincipalArns ?? [];
  for (const arn of arns) {
    if (!arn.startsWith('arn:')) {
      throw VaultHttpError.badRequest(
        `unrecognized arn: does not begin with "arn:": ${arn.slice(0, 80)}`,
      );
    }
  }
  if (!arns.length) {
    throw VaultHttpError.badRequest('at least one bound parameter should be specified on the role');
  }
  return {
    name,
    roleId: existing?.roleId ?? randomUUID(),
    boundIamPrincipalArns: arns,
    resolveAwsUniqueIds:
      body.resolve_aws_unique_ids === undefined
        ? (existing?.resolveAwsUniqueIds ?? true)
        : toBool(body.resolve_aws_unique_ids, 'resolve_aws_unique_ids'),
    ...parseTokenFields(body, existing ?? NO_TOKEN_FIELDS),
  };
}

export function describeAwsRole(role: AwsRole): Record<string, unknown> {
  return {
    allow_instance_migration: false,
    auth_type: 'iam',
    bound_iam_principal_arn: [...role.boundIamPrincipalArns],
    disallow_reauthentication: false,
    inferred_aws_region: '',
    inferred_entity_type: '',
    resolve_aws_unique_ids: role.resolveAwsUniqueIds,
    role_id: role.roleId,
    ...describeTokenFields(role),
  };
}

/** strutil.GlobbedStringsMatch: a leading and/or trailing `*` matches any text there. */
export function globbedMatch(pattern: string, value: string): boolean {
  const pre = pattern.startsWith('*');
  const suf = pattern.endsWith('*') && pattern.length > 1;
  const core = pattern.slice(pre ? 1 : 0, suf ? -1 : undefined);
  if (pre && suf) return value.includes(core);
  if (suf) return value.startsWith(core);
  if (pre) return value.endsWith(core);
  return value === pattern;
}
