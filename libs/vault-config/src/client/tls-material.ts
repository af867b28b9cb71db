import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import type { ResolvedTlsOptions } from '../options/resolved-vault-config-options.interface.js';

export interface TlsMaterial {
  /** One PEM text, or the certificates of a CA directory. */
  ca?: string | string[];
  cert?: string;
  key?: string;
  serverName?: string;
  rejectUnauthorized: boolean;
}

/**
 * A value containing `-----BEGIN` is PEM text; anything else is a file path read now. `caPath` is a
 * directory: every file in it (and below) must be PEM certificates, as the Vault CLI requires.
 */
export async function loadTlsMaterial(tls: ResolvedTlsOptions): Promise<TlsMaterial> {
  const [ca, cert, key] = await Promise.all([
    tls.caPath !== undefined ? caDirectory(tls.caPath) : pem(tls.caCert, 'tls.caCert', true),
    pem(tls.clientCert, 'tls.clientCert', true),
    pem(tls.clientKey?.reveal(), 'tls.clientKey', false),
  ]);
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(tls.serverName !== undefined ? { serverName: tls.serverName } : {}),
    rejectUnauthorized: tls.rejectUnauthorized,
  };
}

/** The PEM texts of the files in `dir` (recursively, as the Vault CLI walks it). */
async function caDirectory(dir: string): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const refuse = (message: string) =>
    new VaultConfigOptionsError([{ option: 'tls.caPath', message }]);
  let names: string[];
  try {
    names = (await fs.readdir(dir, { recursive: true })).sort();
  } catch (error) {
    throw refuse(`is not a readable directory (${dir}) (${codeOf(error)})`);
  }
  const pems: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let text: string;
    try {
      if (!(await fs.stat(file)).isFile()) continue;
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      throw refuse(`holds a file that cannot be read: ${file} (${codeOf(error)})`);
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) {
      throw refuse(`holds a file that is not a PEM certificate: ${file}`);
    }
    pems.push(text);
  }
  if (pems.length === 0) throw refuse(`holds no PEM certificate file (${dir})`);
  return pems;
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
};

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
