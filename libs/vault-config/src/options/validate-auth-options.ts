import { isObject } from '../utils/is-object.js';
import { envValue, nonEmpty, own, type RawOptions, type Report } from './option-reader.js';
import { normalizeVaultPath } from './path-template.js';
import type { ResolvedAuthOptions } from './resolved-vault-config-options.interface.js';
import { SensitiveValue } from './sensitive-value.js';
import { isCloudAuthMethod, validateCloudAuthOptions } from './validate-cloud-auth-options.js';
import {
  DEFAULT_APPROLE_MOUNT,
  DEFAULT_KUBERNETES_JWT_FILE,
  DEFAULT_KUBERNETES_MOUNT,
} from './vault-config-options.defaults.js';

const METHODS = "'token', 'tokenFile', 'approle', 'kubernetes', 'aws', 'gcp' or 'azure'";

/**
 * How to log in to Vault: `auth` (token, tokenFile, approle, kubernetes or a cloud method); without it, the token
 * in VAULT_TOKEN. Credentials are wrapped in SensitiveValue at once, and a problem names only the
 * option, never its value, so no secret can reach a log through the options.
 * Undefined when `auth` is unusable (the problem is reported).
 */
export function validateAuthOptions(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  problem: Report,
): ResolvedAuthOptions | undefined {
  const v = own(raw, 'auth');
  if (v === undefined) {
    const token = tokenFromEnv(env);
    return token
      ? { method: 'token', token, tokenFrom: 'VAULT_TOKEN', implicit: true }
      : { method: 'token', implicit: true };
  }
  if (!isObject(v)) {
    problem('auth', `must be an object with a method (${METHODS})`);
    return undefined;
  }
  const method = own(v, 'method');
  if (isCloudAuthMethod(method)) return validateCloudAuthOptions(v, method, env, problem);
  const read = authReader(v, problem);
  switch (method) {
    case 'token': {
      const token = read.optional('token');
      if (token !== undefined) {
        return { method, token: new SensitiveValue(token.trim()), tokenFrom: 'auth.token' };
      }
      const fromEnv = tokenFromEnv(env);
      return fromEnv ? { method, token: fromEnv, tokenFrom: 'VAULT_TOKEN' } : { method };
    }
    case 'tokenFile': {
      const path = read.required('path');
      return { method, path: path ?? '' };
    }
    case 'approle': {
      const roleId = read.required('roleId');
      const secretId = read.optional('secretId');
      const secretIdFile = read.optional('secretIdFile');
      if (own(v, 'secretId') === undefined && own(v, 'secretIdFile') === undefined) {
        problem('auth.secretId', 'or auth.secretIdFile is required');
      } else if (secretId !== undefined && secretIdFile !== undefined) {
        problem('auth.secretId', 'and auth.secretIdFile are mutually exclusive');
      }
      return {
        method,
        roleId: new SensitiveValue(roleId ?? ''),
        ...(secretId !== undefined ? { secretId: new SensitiveValue(secretId) } : {}),
        ...(secretIdFile !== undefined ? { secretIdFile } : {}),
        mount: read.mount(DEFAULT_APPROLE_MOUNT),
      };
    }
    case 'kubernetes': {
      const role = read.required('role');
      return {
        method,
        role: role ?? '',
        jwtFile: read.optional('jwtFile') ?? DEFAULT_KUBERNETES_JWT_FILE,
        mount: read.mount(DEFAULT_KUBERNETES_MOUNT),
      };
    }
    default:
      problem('auth.method', `must be ${METHODS}`);
      return undefined;
  }
}

function tokenFromEnv(env: NodeJS.ProcessEnv): SensitiveValue | undefined {
  const t = envValue(env, 'VAULT_TOKEN');
  return t !== undefined ? new SensitiveValue(t) : undefined;
}

/** String readers for the fields of `auth`, reporting under `auth.<key>`. */
function authReader(v: RawOptions, problem: Report) {
  const optional = (key: string): string | undefined => {
    const s = own(v, key);
    if (s === undefined) return undefined;
    if (!nonEmpty(s)) problem(`auth.${key}`, 'must be a non-empty string');
    return nonEmpty(s) ? s : undefined;
  };
  const required = (key: string): string | undefined => {
    if (own(v, key) === undefined) problem(`auth.${key}`, 'is required');
    return optional(key);
  };
  const mount = (fallback: string): string => {
    const m = optional('mount');
    if (m === undefined) return fallback;
    const normalized = normalizeVaultPath(m);
    if (!normalized) problem('auth.mount', 'must be a mount path such as approle');
    return normalized ?? fallback;
  };
  return { optional, required, mount };
}
