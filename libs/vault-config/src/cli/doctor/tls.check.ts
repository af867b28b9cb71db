import type { ResolvedVaultConfigOptions } from '../../options/resolved-vault-config-options.interface.js';
import type { DoctorCheck } from './doctor-check.interface.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** https or not, certificate verification on or off, and whether a handshake failed. */
export function checkTls(
  resolved: ResolvedVaultConfigOptions,
  handshakeErrorCode?: string,
): DoctorCheck {
  const urls = (resolved.addresses ?? ['http://invalid']).map(a => new URL(a));
  // With several addresses the weakest one decides: plain http off loopback, then http at all.
  const url =
    urls.find(u => u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) ??
    urls.find(u => u.protocol === 'http:') ??
    urls[0];
  if (handshakeErrorCode !== undefined) {
    return {
      check: 'tls',
      status: 'fail',
      detail: `TLS handshake failed (${handshakeErrorCode})`,
      fix: "set VAULT_CACERT to the CA that signed Vault's certificate, and check the host name in VAULT_ADDR",
    };
  }
  if (url.protocol === 'http:') {
    return LOOPBACK.has(url.hostname)
      ? {
          check: 'tls',
          status: 'ok',
          detail: 'plain http on loopback (fine for local development)',
          fix: '-',
        }
      : {
          check: 'tls',
          status: 'warn',
          detail: 'plain http: the token and the secrets cross the network unencrypted',
          fix: 'use an https:// VAULT_ADDR (with VAULT_CACERT for a private CA)',
        };
  }
  if (!resolved.tls.rejectUnauthorized) {
    return {
      check: 'tls',
      status: 'warn',
      detail: 'https, but certificate verification is off (VAULT_SKIP_VERIFY)',
      fix: 'set VAULT_CACERT to the CA file and unset VAULT_SKIP_VERIFY',
    };
  }
  return {
    check: 'tls',
    status: 'ok',
    detail: `https, certificate verified against ${resolved.tls.caCert ? 'VAULT_CACERT' : 'the system CAs'}`,
    fix: '-',
  };
}
