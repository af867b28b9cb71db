import { isObject } from '../utils/is-object.js';
import {
  envValue,
  nonEmpty,
  own,
  stringList,
  type RawOptions,
  type Report,
} from './option-reader.js';
import { isSafePathSegment, normalizeVaultPath, renderSourcePath } from './path-template.js';
import type { ResolvedSecretSource } from './resolved-vault-config-options.interface.js';
import { resolveSourceMount } from './resolve-source-mount.js';
import { resolveRoleSource } from './validate-role-source-options.js';
import { DEFAULT_ENV, VAULT_PLACEHOLDER } from './vault-config-options.defaults.js';

const ENV_SEGMENT = 'must be one path segment of letters, digits, ".", "_" or "-"';
/** `vault-config migrate` may have moved the variable behind `{env}` to Vault: say so, not "segment". */
const PLACEHOLDER_ENV = (name: string) =>
  `is the ${VAULT_PLACEHOLDER} placeholder left by vault-config migrate: ${name} must be a real ` +
  'value (e.g. production) in the environment or .env, since it picks the Vault path ({env})';

/**
 * Which Vault paths to read: `sources`, with `{env}` replaced by `env` (or NODE_ENV, or the
 * default). The env name must be one safe path segment and every path is normalised, so neither a
 * variable nor an option can walk to another part of Vault (`../other-team`).
 */
export function validateSourceOptions(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  problem: Report,
): { envName: string; sources: ResolvedSecretSource[] } {
  const envName = resolveEnvName(raw, env, problem);
  return { envName, sources: resolveSources(own(raw, 'sources'), envName, problem) };
}

function resolveEnvName(raw: RawOptions, env: NodeJS.ProcessEnv, problem: Report): string {
  const rawEnv = own(raw, 'env');
  if (rawEnv !== undefined) {
    if (typeof rawEnv === 'string' && isSafePathSegment(rawEnv)) return rawEnv;
    const placeholder = typeof rawEnv === 'string' && rawEnv.trim() === VAULT_PLACEHOLDER;
    problem('env', placeholder ? PLACEHOLDER_ENV('the env option') : ENV_SEGMENT);
    return DEFAULT_ENV;
  }
  const nodeEnv = envValue(env, 'NODE_ENV');
  if (nodeEnv === undefined) return DEFAULT_ENV;
  if (isSafePathSegment(nodeEnv)) return nodeEnv;
  problem(
    'env (from NODE_ENV)',
    nodeEnv === VAULT_PLACEHOLDER ? PLACEHOLDER_ENV('NODE_ENV') : ENV_SEGMENT,
  );
  return DEFAULT_ENV;
}

function resolveSources(v: unknown, envName: string, problem: Report): ResolvedSecretSource[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problem('sources', 'must be an array of { mount, path } objects');
    return [];
  }
  const out: ResolvedSecretSource[] = [];
  v.forEach((s: unknown, i) => {
    const source = resolveSource(s, `sources[${i}]`, envName, problem);
    if (source) out.push(source);
  });
  return out;
}

/**
 * One source; undefined (with problems reported) when it is unusable. A source with a `path` is
 * read from it ('kv' or 'dynamic'); 'pki' and 'static' sources name a role instead.
 */
function resolveSource(
  s: unknown,
  at: string,
  envName: string,
  problem: Report,
): ResolvedSecretSource | undefined {
  if (!isObject(s)) {
    problem(at, 'must be an object with mount and path');
    return undefined;
  }
  const type = own(s, 'type') ?? 'kv';
  if (type === 'pki' || type === 'static') {
    return resolveRoleSource(s, type, at, envName, problem);
  }
  if (type !== 'kv' && type !== 'dynamic' && own(s, 'path') === undefined) {
    problem(
      `${at}.type`,
      "must be 'kv' or 'dynamic' (with a path), or 'pki' or 'static' (with a role)",
    );
    return undefined;
  }
  const normalizedMount = resolveSourceMount(s, at, problem);
  const normalizedPath = resolveSourcePath(own(s, 'path'), `${at}.path`, envName, problem);
  if (type !== 'kv' && type !== 'dynamic') problem(`${at}.type`, "must be 'kv' or 'dynamic'");
  const kv = own(s, 'kv') ?? 'auto';
  if (kv !== 'auto' && kv !== 1 && kv !== 2) problem(`${at}.kv`, "must be 'auto', 1 or 2");
  const required = own(s, 'required') ?? true;
  if (typeof required !== 'boolean') problem(`${at}.required`, 'must be a boolean');
  const prefix = own(s, 'prefix') ?? '';
  if (typeof prefix !== 'string') problem(`${at}.prefix`, 'must be a string');
  const keys = stringList(own(s, 'keys'), `${at}.keys`, problem);
  if (!normalizedMount || !normalizedPath) return undefined;
  return {
    type: type === 'dynamic' ? 'dynamic' : 'kv',
    mount: normalizedMount,
    path: normalizedPath,
    kv: kv as 'auto' | 1 | 2,
    required: required === true,
    prefix: typeof prefix === 'string' ? prefix : '',
    ...(keys ? { keys } : {}),
  };
}

function resolveSourcePath(
  path: unknown,
  at: string,
  envName: string,
  problem: Report,
): string | undefined {
  if (!nonEmpty(path)) {
    problem(at, 'must be a non-empty string');
    return undefined;
  }
  const rendered = renderSourcePath(path, envName);
  if ('error' in rendered) {
    problem(at, rendered.error);
    return undefined;
  }
  const normalized = normalizeVaultPath(rendered.path);
  if (!normalized) problem(at, 'must be a path without empty, . or .. segments');
  return normalized;
}
