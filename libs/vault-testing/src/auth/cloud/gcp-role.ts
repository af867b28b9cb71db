import { randomUUID } from 'node:crypto';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { parseDurationSeconds } from '../../util/duration.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { parseStringList, toBool } from '../auth-params.js';
import {
  describeTokenFields,
  NO_TOKEN_FIELDS,
  parseTokenFields,
  type TokenFields,
} from './login-token.js';

export interface GcpRole extends TokenFields {
  name: string;
  roleId: string;
  type: 'iam' | 'gce';
  boundServiceAccounts: string[];
  boundProjects: string[];
  /** iam only, seconds. */
  maxJwtExp: number;
  allowGceInference: boolean;
  /** gce only. */
  boundZones: string[];
  boundRegions: string[];
}

const IAM_ONLY = ['max_jwt_exp', 'allow_gce_inference'];
const GCE_ONLY = ['bound_zones', 'bound_regions', 'bound_instance_groups', 'bound_labels'];
/** These need Google APIs (Compute, Resource Manager) that the test server does not play. */
const NOT_SERVED = ['bound_instance_groups', 'bound_labels', 'add_group_aliases'];
const DEFAULT_MAX_JWT_EXP_S = 15 * 60;
const MAX_MAX_JWT_EXP_S = 60 * 60;

/** `auth/gcp/role/<name>` written as Vault's gcp plugin validates it. */
export function writeGcpRole(name: string, body: SafeRecord, existing?: GcpRole): GcpRole {
  const bad = (m: string) => VaultHttpError.badRequest(m);
  const given = typeof body.type === 'string' && body.type !== '' ? body.type : undefined;
  if (existing && given && given !== existing.type) {
    throw bad('role type cannot be changed for an existing role');
  }
  const type = given ?? existing?.type;
  if (!type) throw bad('role type cannot be empty');
  if (type !== 'iam' && type !== 'gce') throw bad(`role type '${type.slice(0, 16)}' is invalid`);
  const wrong = (type === 'iam' ? GCE_ONLY : IAM_ONLY).filter(k => body[k] !== undefined);
  if (wrong.length) throw bad(`invalid args found for role of type ${type}: ${wrong.join(', ')}`);
  const unserved = NOT_SERVED.filter(k => body[k] !== undefined && body[k] !== false);
  if (unserved.length) {
    throw bad(
      `${unserved.join(', ')}: not served by the test server (needs Google APIs it does not play)`,
    );
  }
  const list = (key: string, current: string[] = []) => parseStringList(body[key]) ?? current;
  const role: GcpRole = {
    name,
    roleId: existing?.roleId ?? randomUUID(),
    type,
    boundServiceAccounts: [
      ...new Set(
        list('bound_service_accounts', list('service_accounts', existing?.boundServiceAccounts)),
      ),
    ],
    boundProjects: [...new Set(list('bound_projects', existing?.boundProjects))],
    maxJwtExp:
      body.max_jwt_exp === undefined
        ? (existing?.maxJwtExp ?? DEFAULT_MAX_JWT_EXP_S)
        : parseDurationSeconds(body.max_jwt_exp),
    allowGceInference:
      body.allow_gce_inference === undefined
        ? (existing?.allowGceInference ?? true)
        : toBool(body.allow_gce_inference, 'allow_gce_inference'),
    boundZones: list('bound_zones', existing?.boundZones),
    boundRegions: list('bound_regions', existing?.boundRegions),
    ...parseTokenFields(body, existing ?? NO_TOKEN_FIELDS),
  };
  if (type === 'iam') {
    if (!role.boundServiceAccounts.length) {
      throw bad('IAM role type must have at least one service account');
    }
    if (role.boundServiceAccounts.length > 1 && role.boundServiceAccounts.includes('*')) {
      throw bad(
        "cannot provide IAM service account wildcard '*' (for all service accounts) with other service accounts",
      );
    }
    if (role.maxJwtExp > MAX_MAX_JWT_EXP_S) throw bad('max_jwt_exp cannot be more than 60 minutes');
  }
  return role;
}

export function describeGcpRole(role: GcpRole): Record<string, unknown> {
  const common = {
    add_group_aliases: false,
    bound_projects: [...role.boundProjects],
    bound_service_accounts: [...role.boundServiceAccounts],
    role_id: role.roleId,
    type: role.type,
    ...describeTokenFields(role),
  };
  return role.type === 'iam'
    ? { ...common, allow_gce_inference: role.allowGceInference, max_jwt_exp: role.maxJwtExp }
    : {
        ...common,
        bound_instance_groups: [],
        bound_labels: {},
        bound_regions: [...role.boundRegions],
        bound_zones: [...role.boundZones],
      };
}
