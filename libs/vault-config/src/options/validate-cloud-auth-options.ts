import { envValue, nonEmpty, own, type RawOptions, type Report } from './option-reader.js';
import { normalizeVaultPath } from './path-template.js';
import type { ResolvedCloudAuthOptions } from './resolved-cloud-auth-options.interface.js';
import {
  AZURE_IMDS_ENV,
  DEFAULT_AWS_MOUNT,
  DEFAULT_AZURE_IMDS_ENDPOINT,
  DEFAULT_AZURE_MOUNT,
  DEFAULT_AZURE_RESOURCE,
  DEFAULT_GCP_MOUNT,
} from './cloud-auth.defaults.js';

export const CLOUD_AUTH_METHODS = ['aws', 'gcp', 'azure'] as const;
export type CloudAuthMethod = (typeof CLOUD_AUTH_METHODS)[number];

export const isCloudAuthMethod = (m: unknown): m is CloudAuthMethod =>
  (CLOUD_AUTH_METHODS as readonly unknown[]).includes(m);

// us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5 ...
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// A header value may carry no line break (no header injection into the signed request).
const HEADER_VALUE = /^[^\r\n]+$/;

/**
 * `auth` for the aws, gcp and azure methods; every problem is reported under its `auth.<field>`
 * path. `env` gives the Azure metadata endpoint override; cloud credentials themselves are read at
 * each login, never here.
 */
export function validateCloudAuthOptions(
  v: RawOptions,
  method: CloudAuthMethod,
  env: NodeJS.ProcessEnv,
  problem: Report,
): ResolvedCloudAuthOptions {
  const optional = (key: string): string | undefined => {
    const s = own(v, key);
    if (s === undefined) return undefined;
    if (!nonEmpty(s)) problem(`auth.${key}`, 'must be a non-empty string');
    return nonEmpty(s) ? s.trim() : undefined;
  };
  const required = (key: string): string => {
    if (own(v, key) === undefined) problem(`auth.${key}`, 'is required');
    return optional(key) ?? '';
  };
  const url = (key: string): string | undefined => {
    const s = optional(key);
    if (s !== undefined && !isHttpUrl(s)) problem(`auth.${key}`, 'must be an http(s) URL');
    return s?.replace(/\/+$/, '');
  };
  const role = required('role');
  const mount = (fallback: string): string => {
    const m = optional('mount');
    if (m === undefined) return fallback;
    const normalized = normalizeVaultPath(m);
    if (!normalized) problem('auth.mount', `must be a mount path such as ${fallback}`);
    return normalized ?? fallback;
  };

  switch (method) {
    case 'aws': {
      const region = optional('region');
      if (region !== undefined && !AWS_REGION.test(region)) {
        problem('auth.region', 'must be an AWS region such as eu-west-1');
      }
      const header = optional('iamServerIdHeader');
      if (header !== undefined && !HEADER_VALUE.test(header)) {
        problem('auth.iamServerIdHeader', 'must be a header value without line breaks');
      }
      return {
        method,
        role,
        mount: mount(DEFAULT_AWS_MOUNT),
        ...(region !== undefined ? { region } : {}),
        ...(header !== undefined ? { iamServerIdHeader: header } : {}),
      };
    }
    case 'gcp': {
      const type = own(v, 'type');
      if (type === undefined) problem('auth.type', "is required: 'gce' or 'iam'");
      else if (type !== 'gce' && type !== 'iam') problem('auth.type', "must be 'gce' or 'iam'");
      const email = optional('serviceAccountEmail');
      const endpoint = url('iamCredentialsEndpoint');
      if (type === 'gce') {
        for (const key of ['serviceAccountEmail', 'iamCredentialsEndpoint']) {
          if (own(v, key) !== undefined) problem(`auth.${key}`, "applies to type 'iam' only");
        }
      }
      return {
        method,
        role,
        mount: mount(DEFAULT_GCP_MOUNT),
        type: type === 'gce' ? 'gce' : 'iam',
        ...(email !== undefined ? { serviceAccountEmail: email } : {}),
        ...(endpoint !== undefined ? { iamCredentialsEndpoint: endpoint } : {}),
      };
    }
    case 'azure': {
      const fromEnv = envValue(env, AZURE_IMDS_ENV);
      if (fromEnv !== undefined && own(v, 'imdsEndpoint') === undefined && !isHttpUrl(fromEnv)) {
        problem(AZURE_IMDS_ENV, 'must be an http(s) URL');
      }
      return {
        method,
        role,
        mount: mount(DEFAULT_AZURE_MOUNT),
        resource: optional('resource') ?? DEFAULT_AZURE_RESOURCE,
        imdsEndpoint:
          url('imdsEndpoint') ?? fromEnv?.replace(/\/+$/, '') ?? DEFAULT_AZURE_IMDS_ENDPOINT,
      };
    }
  }
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
