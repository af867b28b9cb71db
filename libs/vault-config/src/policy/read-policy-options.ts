import {
  VaultConfigOptionsError,
  type OptionProblem,
} from '../errors/vault-config-options.error.js';
import { envValue, nonEmpty, own, type RawOptions } from '../options/option-reader.js';
import {
  isSafePathSegment,
  normalizeVaultPath,
  renderSourcePath,
} from '../options/path-template.js';
import { DEFAULT_ENV } from '../options/vault-config-options.defaults.js';
import { isObject } from '../utils/is-object.js';
import type { PolicyOptions, PolicySource } from './policy-options.interface.js';

/**
 * Reads only what a policy depends on from the module's options, checked as the module checks it
 * (a `VaultConfigOptionsError` names each option that is wrong, never a value). The main entry's
 * `vaultPolicyFor` uses this instead of the whole validation, which it would otherwise load at
 * every app's import; `policy-options.spec.ts` shows both read the same paths.
 */
export function readPolicyOptions(raw: unknown, env: NodeJS.ProcessEnv): PolicyOptions {
  const problems: OptionProblem[] = [];
  const problem = (option: string, message: string) => problems.push({ option, message });
  if (!isObject(raw)) {
    throw new VaultConfigOptionsError([{ option: 'options', message: 'must be an object' }]);
  }
  const flag = (name: string, fallback: boolean): boolean => {
    const v = own(raw, name) ?? fallback;
    if (typeof v !== 'boolean') problem(name, 'must be a boolean');
    return v === true;
  };
  const enabled = flag('enabled', true);
  const renewToken = flag('renewToken', true);
  const revokeOnShutdown = flag('revokeOnShutdown', false);
  const envName = readEnv(raw, env, problem);
  const sources = readSources(own(raw, 'sources'), envName, problem);
  const refresh = own(raw, 'refresh');
  const useMetadata = isObject(refresh) ? (own(refresh, 'useMetadata') ?? false) : false;
  if (typeof useMetadata !== 'boolean') problem('refresh.useMetadata', 'must be a boolean');
  const auth = own(raw, 'auth');
  const method = isObject(auth) ? own(auth, 'method') : 'token';
  if (!nonEmpty(method)) problem('auth.method', 'must be a string');
  if (problems.length) throw new VaultConfigOptionsError(problems);
  return {
    enabled,
    env: envName,
    sources,
    useMetadata: useMetadata === true,
    renewToken,
    revokeOnShutdown,
    authMethod: String(method),
  };
}

type Problem = (option: string, message: string) => void;

/**
 * What a policy path cannot hold literally: `*` and `+` are wildcards there, `{{...}}` a template,
 * and a quote, backslash or control character would end or bend the HCL string.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const POLICY_UNSAFE = /[*+"\\{}\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const UNSAFE_MESSAGE =
  'holds a character a policy path cannot hold literally (*, +, ", \\, {, } or a control character)';

function readEnv(raw: RawOptions, env: NodeJS.ProcessEnv, problem: Problem): string {
  const given = own(raw, 'env');
  const name = given !== undefined ? given : (envValue(env, 'NODE_ENV') ?? DEFAULT_ENV);
  if (typeof name === 'string' && isSafePathSegment(name)) return name;
  problem(given !== undefined ? 'env' : 'env (from NODE_ENV)', 'must be one path segment');
  return DEFAULT_ENV;
}

function readSources(v: unknown, envName: string, problem: Problem): PolicySource[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problem('sources', 'must be an array of { mount, path } objects');
    return [];
  }
  const out: PolicySource[] = [];
  v.forEach((s: unknown, i) => {
    const source = isObject(s) ? readSource(s, `sources[${i}]`, envName, problem) : undefined;
    if (!isObject(s)) problem(`sources[${i}]`, 'must be an object with mount and path');
    if (source) out.push(source);
  });
  return out;
}

function readSource(
  s: RawOptions,
  at: string,
  envName: string,
  problem: Problem,
): PolicySource | undefined {
  const type = own(s, 'type') ?? 'kv';
  if (type !== 'kv' && type !== 'dynamic' && type !== 'pki' && type !== 'static') {
    problem(`${at}.type`, "must be 'kv', 'dynamic', 'pki' or 'static'");
    return undefined;
  }
  const rawMount = own(s, 'mount');
  const mount = nonEmpty(rawMount) ? normalizeVaultPath(rawMount) : undefined;
  if (!mount) problem(`${at}.mount`, 'must be a mount path such as secret');
  const role = type === 'pki' || type === 'static';
  const field = role ? 'role' : 'path';
  const given = own(s, field);
  const rendered = nonEmpty(given) ? renderSourcePath(given, envName) : undefined;
  let inside: string | undefined;
  if (rendered && 'path' in rendered) {
    inside = role
      ? isSafePathSegment(rendered.path)
        ? `${type === 'pki' ? 'issue' : 'static-creds'}/${rendered.path}`
        : undefined
      : normalizeVaultPath(rendered.path);
  }
  if (!inside)
    problem(`${at}.${field}`, rendered && 'error' in rendered ? rendered.error : 'is not usable');
  if (mount && POLICY_UNSAFE.test(mount)) problem(`${at}.mount`, UNSAFE_MESSAGE);
  if (inside && POLICY_UNSAFE.test(inside)) problem(`${at}.${field}`, UNSAFE_MESSAGE);
  const kv = own(s, 'kv') ?? 'auto';
  if (kv !== 'auto' && kv !== 1 && kv !== 2) problem(`${at}.kv`, "must be 'auto', 1 or 2");
  if (!mount || !inside || POLICY_UNSAFE.test(`${mount}/${inside}`)) return undefined;
  return { type, mount, path: inside, kv: role ? 'auto' : (kv as 'auto' | 1 | 2) };
}
