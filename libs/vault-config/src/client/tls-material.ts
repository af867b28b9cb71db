import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import type { ResolvedTlsOptions } from '../options/resolved-vault-config-options.interface.js';

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
}

/** A value containing `-----BEGIN` is PEM text; anything else is a file path read now. */
export async function loadTlsMaterial(tls: ResolvedTlsOptions): Promise<TlsMaterial> {
  const [ca, cert, key] = await Promise.all([
    pem(tls.caCert, 'tls.caCert', true),
    pem(tls.clientCert, 'tls.clientCert', true),
    pem(tls.clientKey?.reveal(), 'tls.clientKey', false),
  ]);
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    rejectUnauthorized: tls.rejectUnauthorized,
  };
}

async function pem(value: string | undefined, option: string, showPath: boolean) {
  if (value === undefined) return undefined;
  if (value.includes('-----BEGIN')) return value;
  // Only TLS file paths need node:fs/promises: loaded here, not on every boot.
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(value, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Never echo what might be key material passed by mistake.
    const looksLikePath = showPath && value.length < 1024 && !/[\r\n]/.test(value);
    throw new VaultConfigOptionsError([
      {
        option,
        message: `is neither PEM text nor a readable file${looksLikePath ? ` (${value})` : ''} (${
          typeof code === 'string' ? code : 'error'
        })`,
      },
    ]);
  }
}
