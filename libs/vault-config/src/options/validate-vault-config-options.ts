import type { VaultSchemaClass } from '../interfaces/vault-config-options.interface.js';
import type { VaultTransport } from '../interfaces/vault-transport.interface.js';
import {
  VaultConfigOptionsError,
  type OptionProblem,
} from '../errors/vault-config-options.error.js';
import { isSafePathSegment, normalizeVaultPath, renderSourcePath } from './path-template.js';
import type {
  ResolvedAuthOptions,
  ResolvedHealthOptions,
  ResolvedRefreshOptions,
  ResolvedSecretSource,
  ResolvedTlsOptions,
  ResolvedVaultConfigOptions,
} from './resolved-vault-config-options.interface.js';
import { SensitiveValue } from './sensitive-value.js';
import {
  DEFAULT_APPROLE_MOUNT,
  DEFAULT_CONCURRENCY,
  DEFAULT_ENV,
  DEFAULT_HEALTH_CACHE_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_KUBERNETES_JWT_FILE,
  DEFAULT_KUBERNETES_MOUNT,
  DEFAULT_RETRY_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_REFRESH_JITTER,
  DEFAULT_REFRESH_MAX_BACKOFF_MS,
  DEFAULT_RETRY_MIN_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  STALENESS_REFRESH_INTERVALS,
} from './vault-config-options.defaults.js';
import { isObject } from '../utils/is-object.js';

type Raw = Record<string, unknown>;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const own = (o: Raw, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
const envValue = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
};

/**
 * Checks options with plain code and fills in defaults and the VAULT_* environment variables
 * (VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE, VAULT_CACERT, VAULT_CLIENT_CERT, VAULT_CLIENT_KEY,
 * VAULT_SKIP_VERIFY), read from `env` now. Every problem found is collected into ONE
 * VaultConfigOptionsError whose entries name the option path (`sources[1].mount ...`). No value of a
 * credential option is ever put in a message. Unknown top-level keys are ignored, so options read by
 * other layers (e.g. `isGlobal`) can share the object.
 */
export function validateVaultConfigOptions(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedVaultConfigOptions {
  const problems: OptionProblem[] = [];
  const problem = (option: string, message: string) => problems.push({ option, message });
  if (!isObject(raw)) {
    throw new VaultConfigOptionsError([{ option: 'options', message: 'must be an object' }]);
  }

  const enabled = optionalBoolean(raw, 'enabled', problem) ?? true;
  const transport = resolveTransport(own(raw, 'transport'), problem);

  let address: string | undefined;
  const rawAddress = own(raw, 'address');
  if (rawAddress !== undefined && !nonEmpty(rawAddress)) {
    problem('address', 'must be a non-empty string (e.g. https://vault.example.com:8200)');
  } else {
    const candidate = (rawAddress as string | undefined)?.trim() ?? envValue(env, 'VAULT_ADDR');
    if (candidate !== undefined) {
      const parsed = parseAddress(candidate);
      if (parsed) address = parsed;
      else
        problem(
          rawAddress !== undefined ? 'address' : 'address (from VAULT_ADDR)',
          'must be an http:// or https:// URL',
        );
    } else if (enabled && !transport) {
      problem('address', 'is required (or set VAULT_ADDR, or enabled: false)');
    }
  }

  let namespace: string | undefined;
  const rawNamespace = own(raw, 'namespace');
  if (rawNamespace !== undefined && !nonEmpty(rawNamespace)) {
    problem('namespace', 'must be a non-empty string');
  } else {
    const ns = (rawNamespace as string | undefined) ?? envValue(env, 'VAULT_NAMESPACE');
    if (ns !== undefined) {
      const normalized = normalizeVaultPath(ns);
      if (normalized) namespace = normalized;
      else problem('namespace', 'must be a namespace path such as team-a or team-a/child');
    }
  }

  const auth = resolveAuth(own(raw, 'auth'), env, problem);
  const tls = resolveTls(own(raw, 'tls'), env, problem);
  const timeoutMs = optionalInt(raw, 'timeoutMs', 1, 600_000, problem) ?? DEFAULT_TIMEOUT_MS;
  const retry = resolveRetry(own(raw, 'retry'), problem);
  const concurrency = optionalInt(raw, 'concurrency', 1, 1024, problem) ?? DEFAULT_CONCURRENCY;

  const rawOnUnavailable = own(raw, 'onUnavailable');
  if (
    rawOnUnavailable !== undefined &&
    rawOnUnavailable !== 'fail' &&
    rawOnUnavailable !== 'fallback'
  ) {
    problem('onUnavailable', "must be 'fail' or 'fallback'");
  }
  const onUnavailable = rawOnUnavailable === 'fallback' ? 'fallback' : 'fail';

  const rawEnv = own(raw, 'env');
  let envName = DEFAULT_ENV;
  if (rawEnv !== undefined) {
    if (typeof rawEnv !== 'string' || !isSafePathSegment(rawEnv)) {
      problem('env', 'must be one path segment of letters, digits, ".", "_" or "-"');
    } else envName = rawEnv;
  } else {
    const nodeEnv = envValue(env, 'NODE_ENV');
    if (nodeEnv !== undefined) {
      if (isSafePathSegment(nodeEnv)) envName = nodeEnv;
      else
        problem(
          'env (from NODE_ENV)',
          'must be one path segment of letters, digits, ".", "_" or "-"',
        );
    }
  }

  const sources = resolveSources(own(raw, 'sources'), envName, problem);
  const envFallback = resolveEnvFallback(own(raw, 'envFallback'), problem);
  const defaults = resolveDefaults(own(raw, 'defaults'), problem);
  const required = stringList(own(raw, 'required'), 'required', problem) ?? [];

  const refresh = resolveRefresh(own(raw, 'refresh'), problem);
  const renewToken = optionalBoolean(raw, 'renewToken', problem) ?? true;
  const revokeOnShutdown = optionalBoolean(raw, 'revokeOnShutdown', problem) ?? false;

  const health = resolveHealth(raw, refresh, problem);

  const rawSchema = own(raw, 'schema');
  if (rawSchema !== undefined && typeof rawSchema !== 'function') {
    problem('schema', 'must be a class decorated with class-validator decorators');
  }

  if (problems.length) throw new VaultConfigOptionsError(problems);
  return {
    enabled,
    ...(address !== undefined ? { address } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    auth: auth as ResolvedAuthOptions,
    authMethod: (auth as ResolvedAuthOptions).method,
    tls,
    timeoutMs,
    retry,
    sources,
    envFallback,
    defaults,
    required,
    ...(rawSchema !== undefined ? { schema: rawSchema as VaultSchemaClass } : {}),
    concurrency,
    onUnavailable,
    ...(transport ? { transport } : {}),
    env: envName,
    ...(refresh ? { refresh } : {}),
    renewToken,
    revokeOnShutdown,
    health,
  };
}

function resolveHealth(
  raw: Raw,
  refresh: ResolvedRefreshOptions | undefined,
  problem: Report,
): ResolvedHealthOptions {
  const maxMs = 2_147_483_647;
  const cacheMs = optionalInt(raw, 'healthCacheMs', 0, maxMs, problem) ?? DEFAULT_HEALTH_CACHE_MS;
  const timeoutMs =
    optionalInt(raw, 'healthTimeoutMs', 1, 600_000, problem) ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const maxStalenessMs =
    optionalInt(raw, 'healthMaxStalenessMs', 1, maxMs, problem) ??
    (refresh ? refresh.intervalMs * STALENESS_REFRESH_INTERVALS : undefined);
  return { cacheMs, timeoutMs, ...(maxStalenessMs !== undefined ? { maxStalenessMs } : {}) };
}

type Report = (option: string, message: string) => void;

function parseAddress(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password || url.search || url.hash) return undefined;
    return url.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

function optionalBoolean(o: Raw, key: string, problem: Report): boolean | undefined {
  const v = own(o, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') problem(key, 'must be a boolean');
  return typeof v === 'boolean' ? v : undefined;
}

function optionalInt(
  o: Raw,
  key: string,
  min: number,
  max: number,
  problem: Report,
  path = key,
): number | undefined {
  const v = own(o, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    problem(path, `must be an integer from ${min} to ${max}`);
    return undefined;
  }
  return v;
}

function stringList(v: unknown, path: string, problem: Report): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    problem(path, 'must be an array of non-empty strings');
    return undefined;
  }
  const out: string[] = [];
  v.forEach((item, i) => {
    if (nonEmpty(item)) out.push(item);
    else problem(`${path}[${i}]`, 'must be a non-empty string');
  });
  return out;
}

function resolveTransport(v: unknown, problem: Report): VaultTransport | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || typeof v.request !== 'function') {
    problem('transport', 'must be an object with a request(req) method (a VaultTransport)');
    return undefined;
  }
  return v as unknown as VaultTransport;
}

function resolveAuth(
  v: unknown,
  env: NodeJS.ProcessEnv,
  problem: Report,
): ResolvedAuthOptions | undefined {
  const tokenFromEnv = () => {
    const t = envValue(env, 'VAULT_TOKEN');
    return t !== undefined ? new SensitiveValue(t) : undefined;
  };
  if (v === undefined) {
    const token = tokenFromEnv();
    return token ? { method: 'token', token } : { method: 'token' };
  }
  if (!isObject(v)) {
    problem(
      'auth',
      "must be an object with a method ('token', 'tokenFile', 'approle' or 'kubernetes')",
    );
    return undefined;
  }
  const method = own(v, 'method');
  const optionalString = (key: string): string | undefined => {
    const s = own(v, key);
    if (s === undefined) return undefined;
    if (!nonEmpty(s)) problem(`auth.${key}`, 'must be a non-empty string');
    return nonEmpty(s) ? s : undefined;
  };
  const requiredString = (key: string): string | undefined => {
    if (own(v, key) === undefined) problem(`auth.${key}`, 'is required');
    return optionalString(key);
  };
  const mount = (fallback: string): string => {
    const m = optionalString('mount');
    if (m === undefined) return fallback;
    const normalized = normalizeVaultPath(m);
    if (!normalized) problem('auth.mount', 'must be a mount path such as approle');
    return normalized ?? fallback;
  };
  switch (method) {
    case 'token': {
      const token = optionalString('token');
      const resolved = token !== undefined ? new SensitiveValue(token.trim()) : tokenFromEnv();
      return resolved ? { method, token: resolved } : { method };
    }
    case 'tokenFile': {
      const path = requiredString('path');
      return { method, path: path ?? '' };
    }
    case 'approle': {
      const roleId = requiredString('roleId');
      const secretId = optionalString('secretId');
      const secretIdFile = optionalString('secretIdFile');
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
        mount: mount(DEFAULT_APPROLE_MOUNT),
      };
    }
    case 'kubernetes': {
      const role = requiredString('role');
      return {
        method,
        role: role ?? '',
        jwtFile: optionalString('jwtFile') ?? DEFAULT_KUBERNETES_JWT_FILE,
        mount: mount(DEFAULT_KUBERNETES_MOUNT),
      };
    }
    default:
      problem('auth.method', "must be 'token', 'tokenFile', 'approle' or 'kubernetes'");
      return undefined;
  }
}

function resolveTls(v: unknown, env: NodeJS.ProcessEnv, problem: Report): ResolvedTlsOptions {
  const skipVerify = /^(1|true)$/i.test(env.VAULT_SKIP_VERIFY?.trim() ?? '');
  const fromEnv: ResolvedTlsOptions = { rejectUnauthorized: !skipVerify };
  const caEnv = envValue(env, 'VAULT_CACERT');
  const certEnv = envValue(env, 'VAULT_CLIENT_CERT');
  const keyEnv = envValue(env, 'VAULT_CLIENT_KEY');
  if (v !== undefined && !isObject(v)) {
    problem('tls', 'must be an object');
    return fromEnv;
  }
  const o = (v ?? {}) as Raw;
  const str = (key: string): string | undefined => {
    const s = own(o, key);
    if (s === undefined) return undefined;
    if (!nonEmpty(s)) problem(`tls.${key}`, 'must be a PEM string or a file path');
    return nonEmpty(s) ? s : undefined;
  };
  const caCert = str('caCert') ?? caEnv;
  const clientCert = str('clientCert') ?? certEnv;
  const clientKey = str('clientKey') ?? keyEnv;
  const reject = optionalBoolean(o, 'rejectUnauthorized', (_o, m) =>
    problem('tls.rejectUnauthorized', m),
  );
  if ((clientCert === undefined) !== (clientKey === undefined)) {
    problem('tls.clientCert', 'and tls.clientKey must be given together');
  }
  return {
    ...(caCert !== undefined ? { caCert } : {}),
    ...(clientCert !== undefined ? { clientCert } : {}),
    ...(clientKey !== undefined ? { clientKey: new SensitiveValue(clientKey) } : {}),
    rejectUnauthorized: reject ?? !skipVerify,
  };
}

function resolveRetry(v: unknown, problem: Report) {
  const retry = {
    attempts: DEFAULT_RETRY_ATTEMPTS,
    minDelayMs: DEFAULT_RETRY_MIN_DELAY_MS,
    maxDelayMs: DEFAULT_RETRY_MAX_DELAY_MS,
  };
  if (v === undefined) return retry;
  if (!isObject(v)) {
    problem('retry', 'must be an object');
    return retry;
  }
  retry.attempts = optionalInt(v, 'attempts', 1, 20, problem, 'retry.attempts') ?? retry.attempts;
  retry.minDelayMs =
    optionalInt(v, 'minDelayMs', 0, 60_000, problem, 'retry.minDelayMs') ?? retry.minDelayMs;
  retry.maxDelayMs =
    optionalInt(v, 'maxDelayMs', 0, 300_000, problem, 'retry.maxDelayMs') ?? retry.maxDelayMs;
  if (retry.maxDelayMs < retry.minDelayMs) {
    problem('retry.maxDelayMs', 'must be at least retry.minDelayMs');
  }
  return retry;
}

function resolveSources(v: unknown, env: string, problem: Report): ResolvedSecretSource[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problem('sources', 'must be an array of { mount, path } objects');
    return [];
  }
  const out: ResolvedSecretSource[] = [];
  v.forEach((s: unknown, i) => {
    const at = `sources[${i}]`;
    if (!isObject(s)) {
      problem(at, 'must be an object with mount and path');
      return;
    }
    const mount = own(s, 'mount');
    const path = own(s, 'path');
    const normalizedMount = nonEmpty(mount) ? normalizeVaultPath(mount) : undefined;
    if (!nonEmpty(mount)) problem(`${at}.mount`, 'must be a non-empty string');
    else if (!normalizedMount) problem(`${at}.mount`, 'must be a mount path such as secret');
    let normalizedPath: string | undefined;
    if (!nonEmpty(path)) problem(`${at}.path`, 'must be a non-empty string');
    else {
      const rendered = renderSourcePath(path, env);
      if ('error' in rendered) problem(`${at}.path`, rendered.error);
      else {
        normalizedPath = normalizeVaultPath(rendered.path);
        if (!normalizedPath)
          problem(`${at}.path`, 'must be a path without empty, . or .. segments');
      }
    }
    const type = own(s, 'type') ?? 'kv';
    if (type !== 'kv' && type !== 'dynamic') problem(`${at}.type`, "must be 'kv' or 'dynamic'");
    const kv = own(s, 'kv') ?? 'auto';
    if (kv !== 'auto' && kv !== 1 && kv !== 2) problem(`${at}.kv`, "must be 'auto', 1 or 2");
    const required = own(s, 'required') ?? true;
    if (typeof required !== 'boolean') problem(`${at}.required`, 'must be a boolean');
    const prefix = own(s, 'prefix') ?? '';
    if (typeof prefix !== 'string') problem(`${at}.prefix`, 'must be a string');
    const keys = stringList(own(s, 'keys'), `${at}.keys`, problem);
    if (normalizedMount && normalizedPath) {
      out.push({
        type: type === 'dynamic' ? 'dynamic' : 'kv',
        mount: normalizedMount,
        path: normalizedPath,
        kv: kv as 'auto' | 1 | 2,
        required: required === true,
        prefix: typeof prefix === 'string' ? prefix : '',
        ...(keys ? { keys } : {}),
      });
    }
  });
  return out;
}

function resolveRefresh(v: unknown, problem: Report): ResolvedRefreshOptions | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) {
    problem('refresh', 'must be an object such as { intervalMs: 60000 }');
    return undefined;
  }
  const intervalMs = optionalInt(v, 'intervalMs', 50, 2_147_483_647, problem, 'refresh.intervalMs');
  if (own(v, 'intervalMs') === undefined) problem('refresh.intervalMs', 'is required');
  const jitter = own(v, 'jitter') ?? DEFAULT_REFRESH_JITTER;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    problem('refresh.jitter', 'must be a number from 0 to 1');
  }
  const useMetadata = own(v, 'useMetadata') ?? false;
  if (typeof useMetadata !== 'boolean') problem('refresh.useMetadata', 'must be a boolean');
  const maxBackoffMs = optionalInt(
    v,
    'maxBackoffMs',
    50,
    2_147_483_647,
    problem,
    'refresh.maxBackoffMs',
  );
  if (intervalMs === undefined) return undefined;
  return {
    intervalMs,
    jitter: typeof jitter === 'number' ? jitter : DEFAULT_REFRESH_JITTER,
    useMetadata: useMetadata === true,
    maxBackoffMs: maxBackoffMs ?? Math.max(intervalMs, DEFAULT_REFRESH_MAX_BACKOFF_MS),
  };
}

function resolveEnvFallback(
  v: unknown,
  problem: Report,
): ResolvedVaultConfigOptions['envFallback'] {
  if (v === undefined || v === true) return { aliases: new Map() };
  if (v === false) return false;
  if (!isObject(v)) {
    problem('envFallback', 'must be a boolean or { aliases }');
    return false;
  }
  const aliases = new Map<string, string[]>();
  const raw = own(v, 'aliases');
  if (raw === undefined) return { aliases };
  if (!isObject(raw)) {
    problem('envFallback.aliases', 'must be an object of key → environment variable names');
    return { aliases };
  }
  for (const key of Object.keys(raw)) {
    const names = stringList(raw[key], `envFallback.aliases.${key}`, problem);
    if (names) aliases.set(key, names);
  }
  return { aliases };
}

function resolveDefaults(v: unknown, problem: Report): Map<string, string | number | boolean> {
  const defaults = new Map<string, string | number | boolean>();
  if (v === undefined) return defaults;
  if (!isObject(v)) {
    problem('defaults', 'must be an object of key → string, number or boolean');
    return defaults;
  }
  for (const key of Object.keys(v)) {
    const value = v[key];
    const ok =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (ok) defaults.set(key, value);
    else problem(`defaults.${key}`, 'must be a string, a finite number or a boolean');
  }
  return defaults;
}
