import {
  VaultConfigOptionsError,
  type OptionProblem,
} from '../errors/vault-config-options.error.js';
import type { VaultSecretsSchema } from '../interfaces/vault-config-options.interface.js';
import type { VaultTransport } from '../interfaces/vault-transport.interface.js';
import { isObject } from '../utils/is-object.js';
import { isStandardSchema } from './is-standard-schema.js';
import { optionalBoolean, optionalInt, own, stringList, type Report } from './option-reader.js';
import type {
  ResolvedAuthOptions,
  ResolvedSecretSource,
  ResolvedTlsOptions,
  ResolvedVaultConfigOptions,
} from './resolved-vault-config-options.interface.js';
import { validateAddressOptions } from './validate-address-options.js';
import { validateAuthOptions } from './validate-auth-options.js';
import { validateEnvFallbackOptions } from './validate-env-fallback-options.js';
import { validateHealthOptions } from './validate-health-options.js';
import { validateMetricsOptions } from './validate-metrics-options.js';
import { validateOptionNames } from './validate-option-names.js';
import { validateRefreshOptions } from './validate-refresh-options.js';
import { validateRetryOptions } from './validate-retry-options.js';
import { validateSourceOptions } from './validate-source-options.js';
import { validateTlsOptions } from './validate-tls-options.js';
import {
  DEFAULT_CONCURRENCY,
  MAX_AUTO_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  MAX_REQUEST_TIMEOUT_MS,
} from './vault-config-options.defaults.js';

/** A cap on parallel reads, so a typo cannot flood Vault with requests. */
const MAX_CONCURRENCY = 1024;

/**
 * Checks options with plain code and fills in defaults and the VAULT_* environment variables,
 * read from `env` now. Each option group is checked by its own validate-*-options file; all report
 * into one list, so the ONE VaultConfigOptionsError thrown names every problem by its option path
 * (`sources[1].mount ...`) and a user fixes them in one go. No value of a credential option is ever
 * put in a message. An unknown key anywhere is a problem too (`ConfigurableModuleBuilder` removes
 * `isGlobal` before the options get here).
 */
export function validateVaultConfigOptions(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedVaultConfigOptions {
  const problems: OptionProblem[] = [];
  const problem: Report = (option, message) => problems.push({ option, message });
  if (!isObject(raw)) {
    throw new VaultConfigOptionsError([{ option: 'options', message: 'must be an object' }]);
  }

  // The order of the calls is the order of the problems in the error.
  validateOptionNames(raw, problem);
  const enabled = optionalBoolean(raw, 'enabled', problem) ?? true;
  const transport = resolveTransport(own(raw, 'transport'), problem);
  const location = validateAddressOptions(raw, env, enabled && !transport, problem);
  const auth = validateAuthOptions(raw, env, problem);
  const tls = validateTlsOptions(raw, env, problem);
  if (auth?.method === 'cert' && enabled && !transport) {
    checkCertAuthConnection(location.addresses ?? [location.address], tls, problem);
  }
  const timeoutMs =
    optionalInt(raw, 'timeoutMs', 1, MAX_REQUEST_TIMEOUT_MS, problem) ?? DEFAULT_TIMEOUT_MS;
  const retry = validateRetryOptions(raw, problem);
  const rawConcurrency = optionalInt(raw, 'concurrency', 1, MAX_CONCURRENCY, problem);
  const onUnavailable = resolveOnUnavailable(own(raw, 'onUnavailable'), problem);
  const { envName, sources } = validateSourceOptions(raw, env, problem);
  const concurrency = rawConcurrency ?? concurrencyFor(sources);
  const { envFallback, defaults } = validateEnvFallbackOptions(raw, problem);
  const required = stringList(own(raw, 'required'), 'required', problem) ?? [];
  const refresh = validateRefreshOptions(raw, problem);
  const renewToken = optionalBoolean(raw, 'renewToken', problem) ?? true;
  const revokeOnShutdown = optionalBoolean(raw, 'revokeOnShutdown', problem) ?? false;
  const health = validateHealthOptions(raw, refresh, problem);
  const metrics = validateMetricsOptions(raw, problem);
  const schema = resolveSchema(own(raw, 'schema'), problem);

  if (problems.length) throw new VaultConfigOptionsError(problems);
  return {
    enabled,
    ...location,
    auth: auth as ResolvedAuthOptions,
    authMethod: (auth as ResolvedAuthOptions).method,
    tls,
    timeoutMs,
    retry,
    sources,
    envFallback,
    defaults,
    required,
    ...(schema !== undefined ? { schema } : {}),
    concurrency,
    onUnavailable,
    ...(transport ? { transport } : {}),
    env: envName,
    ...(refresh ? { refresh } : {}),
    renewToken,
    revokeOnShutdown,
    health,
    metrics,
  };
}

/**
 * Enough parallel requests for the first read to be one round trip: a read per source and a KV
 * version probe per mount, sent together (at least DEFAULT_CONCURRENCY, at most
 * MAX_AUTO_CONCURRENCY sockets).
 */
function concurrencyFor(sources: readonly ResolvedSecretSource[]): number {
  const wave = sources.length + new Set(sources.map(s => s.mount)).size;
  return Math.min(MAX_AUTO_CONCURRENCY, Math.max(DEFAULT_CONCURRENCY, wave));
}

/**
 * Cert auth proves who we are in the TLS handshake, so the default transport must present a client
 * certificate over https. (A transport of your own is trusted to present its own.)
 */
function checkCertAuthConnection(
  addresses: ReadonlyArray<string | undefined>,
  tls: ResolvedTlsOptions,
  problem: Report,
): void {
  if (tls.clientCert === undefined) {
    problem(
      'tls.clientCert',
      "is required by auth method 'cert' (with tls.clientKey, or VAULT_CLIENT_CERT and VAULT_CLIENT_KEY)",
    );
  }
  if (addresses.some(a => a !== undefined && !a.toLowerCase().startsWith('https:'))) {
    problem(
      'address',
      "must be https:// for auth method 'cert' (the certificate is sent over TLS)",
    );
  }
}

function resolveTransport(v: unknown, problem: Report): VaultTransport | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || typeof v.request !== 'function') {
    problem('transport', 'must be an object with a request(req) method (a VaultTransport)');
    return undefined;
  }
  return v as unknown as VaultTransport;
}

function resolveOnUnavailable(v: unknown, problem: Report): 'fail' | 'fallback' {
  if (v !== undefined && v !== 'fail' && v !== 'fallback') {
    problem('onUnavailable', "must be 'fail' or 'fallback'");
  }
  return v === 'fallback' ? 'fallback' : 'fail';
}

/**
 * Undefined when not given; anything but a class or a Standard Schema (a `~standard` object with a
 * `validate` function) is reported (its value is returned only when valid).
 */
function resolveSchema(v: unknown, problem: Report): VaultSecretsSchema | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'function' && !isStandardSchema(v)) {
    problem(
      'schema',
      'must be a class decorated with class-validator decorators or a Standard Schema ' +
        '(Zod, Valibot, ArkType: an object with a `~standard` property)',
    );
    return undefined;
  }
  return v as VaultSecretsSchema;
}
