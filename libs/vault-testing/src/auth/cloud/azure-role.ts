import { VaultHttpError } from '../../http/vault-http.error.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { parseStringList } from '../auth-params.js';
import {
  describeTokenFields,
  NO_TOKEN_FIELDS,
  parseTokenFields,
  type TokenFields,
} from './login-token.js';

export interface AzureRole extends TokenFields {
  name: string;
  boundServicePrincipalIds: string[];
  boundGroupIds: string[];
  boundSubscriptionIds: string[];
  boundResourceGroups: string[];
  boundScaleSets: string[];
}

/** `auth/azure/role/<name>` as Vault's azure plugin validates it. */
export function writeAzureRole(name: string, body: SafeRecord, existing?: AzureRole): AzureRole {
  if (parseStringList(body.bound_locations)?.length) {
    throw VaultHttpError.badRequest(
      'bound_locations: not served by the test server (needs Azure Resource Manager, which it does not play)',
    );
  }
  const list = (key: string, current: string[] = []) => parseStringList(body[key]) ?? current;
  const role: AzureRole = {
    name,
    boundServicePrincipalIds: list(
      'bound_service_principal_ids',
      existing?.boundServicePrincipalIds,
    ),
    boundGroupIds: list('bound_group_ids', existing?.boundGroupIds),
    boundSubscriptionIds: list('bound_subscription_ids', existing?.boundSubscriptionIds),
    boundResourceGroups: list('bound_resource_groups', existing?.boundResourceGroups),
    boundScaleSets: list('bound_scale_sets', existing?.boundScaleSets),
    ...parseTokenFields(body, existing ?? NO_TOKEN_FIELDS),
  };
  const bounds = [
    role.boundServicePrincipalIds,
    role.boundGroupIds,
    role.boundSubscriptionIds,
    role.boundResourceGroups,
    role.boundScaleSets,
  ];
  if (bounds.every(b => b.length === 0)) {
    throw VaultHttpError.badRequest(
      'must have at least one bound constraint when creating/updating a role',
    );
  }
  return role;
}

export function describeAzureRole(role: AzureRole): Record<string, unknown> {
  return {
    bound_group_ids: [...role.boundGroupIds],
    bound_locations: [],
    bound_resource_groups: [...role.boundResourceGroups],
    bound_scale_sets: [...role.boundScaleSets],
    bound_service_principal_ids: [...role.boundServicePrincipalIds],
    bound_subscription_ids: [...role.boundSubscriptionIds],
    ...describeTokenFields(role),
  };
}
