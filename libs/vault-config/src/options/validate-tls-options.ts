import { isObject } from '../utils/is-object.js';
import {
  envValue,
  nonEmpty,
  optionalBoolean,
  own,
  type RawOptions,
  type Report,
} from './option-reader.js';
import type { ResolvedTlsOptions } from './resolved-vault-config-options.interface.js';
import { SensitiveValue } from './sensitive-value.js';

/** What Go's strconv.ParseBool takes, as the Vault CLI reads VAULT_SKIP_VERIFY. */
const GO_BOOLEANS: Readonly<Record<string, boolean>> = {
  '1': true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/**
 * How to trust Vault and prove who we are: `tls`, each field falling back to the variable the
 * Vault CLI reads (VAULT_CACERT, VAULT_CAPATH, VAULT_CLIENT_CERT, VAULT_CLIENT_KEY,
 * VAULT_TLS_SERVER_NAME, VAULT_SKIP_VERIFY), so an app and `vault` share one environment. The
 * client key is a secret: it is wrapped at once.
 */
export function validateTlsOptions(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  problem: Report,
): ResolvedTlsOptions {
  const v = own(raw, 'tls');
  const skipVerify = skipVerifyFromEnv(env, problem);
  if (v !== undefined && !isObject(v)) {
    problem('tls', 'must be an object');
    return { rejectUnauthorized: !skipVerify };
  }
  const o = (v ?? {}) as RawOptions;
  const pem = (key: string): string | undefined => {
    const s = own(o, key);
    if (s === undefined) return undefined;
    if (!nonEmpty(s)) {
      problem(
        `tls.${key}`,
        key === 'caPath' ? 'must be a directory path' : 'must be a PEM string or a file path',
      );
    }
    return nonEmpty(s) ? s : undefined;
  };
  const caCert = pem('caCert') ?? envValue(env, 'VAULT_CACERT');
  const clientCert = pem('clientCert') ?? envValue(env, 'VAULT_CLIENT_CERT');
  const clientKey = pem('clientKey') ?? envValue(env, 'VAULT_CLIENT_KEY');
  const caPath = pem('caPath') ?? envValue(env, 'VAULT_CAPATH');
  const serverName = serverNameOf(own(o, 'serverName'), env, problem);
  const reject = optionalBoolean(o, 'rejectUnauthorized', problem, 'tls.rejectUnauthorized');
  if ((clientCert === undefined) !== (clientKey === undefined)) {
    problem('tls.clientCert', 'and tls.clientKey must be given together');
  }
  return {
    ...(caCert !== undefined ? { caCert } : {}),
    // As the Vault CLI: a CA file, when there is one, wins over a CA directory.
    ...(caCert === undefined && caPath !== undefined ? { caPath } : {}),
    ...(serverName !== undefined ? { serverName } : {}),
    ...(clientCert !== undefined ? { clientCert } : {}),
    ...(clientKey !== undefined ? { clientKey: new SensitiveValue(clientKey) } : {}),
    rejectUnauthorized: reject ?? !skipVerify,
  };
}

/** VAULT_SKIP_VERIFY as the Vault CLI reads it: unset or blank is off; anything ParseBool refuses is a mistake. */
function skipVerifyFromEnv(env: NodeJS.ProcessEnv, problem: Report): boolean {
  const raw = env.VAULT_SKIP_VERIFY;
  if (raw === undefined || raw.trim() === '') return false;
  const value = GO_BOOLEANS[raw.trim()];
  if (value === undefined) {
    problem(
      'VAULT_SKIP_VERIFY',
      'must be 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False',
    );
  }
  return value ?? false;
}

/** `tls.serverName` or VAULT_TLS_SERVER_NAME: the name sent in SNI and checked in the certificate. */
function serverNameOf(
  option: unknown,
  env: NodeJS.ProcessEnv,
  problem: Report,
): string | undefined {
  if (option !== undefined && !nonEmpty(option)) {
    problem('tls.serverName', 'must be a host name such as vault.example.com');
    return undefined;
  }
  const name = option?.trim() ?? envValue(env, 'VAULT_TLS_SERVER_NAME');
  if (name === undefined) return undefined;
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(name)) {
    const from =
      option !== undefined ? 'tls.serverName' : 'tls.serverName (from VAULT_TLS_SERVER_NAME)';
    problem(from, 'must be a host name such as vault.example.com');
    return undefined;
  }
  return name;
}
