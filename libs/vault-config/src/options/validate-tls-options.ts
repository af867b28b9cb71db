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

/**
 * How to trust Vault and prove who we are: `tls`, each field falling back to the variable the
 * Vault CLI reads (VAULT_CACERT, VAULT_CLIENT_CERT, VAULT_CLIENT_KEY, VAULT_SKIP_VERIFY), so an
 * app and `vault` share one environment. The client key is a secret: it is wrapped at once.
 */
export function validateTlsOptions(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  problem: Report,
): ResolvedTlsOptions {
  const v = own(raw, 'tls');
  const skipVerify = /^(1|true)$/i.test(env.VAULT_SKIP_VERIFY?.trim() ?? '');
  if (v !== undefined && !isObject(v)) {
    problem('tls', 'must be an object');
    return { rejectUnauthorized: !skipVerify };
  }
  const o = (v ?? {}) as RawOptions;
  const pem = (key: string): string | undefined => {
    const s = own(o, key);
    if (s === undefined) return undefined;
    if (!nonEmpty(s)) problem(`tls.${key}`, 'must be a PEM string or a file path');
    return nonEmpty(s) ? s : undefined;
  };
  const caCert = pem('caCert') ?? envValue(env, 'VAULT_CACERT');
  const clientCert = pem('clientCert') ?? envValue(env, 'VAULT_CLIENT_CERT');
  const clientKey = pem('clientKey') ?? envValue(env, 'VAULT_CLIENT_KEY');
  const reject = optionalBoolean(o, 'rejectUnauthorized', problem, 'tls.rejectUnauthorized');
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
