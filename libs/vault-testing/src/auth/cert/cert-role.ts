import { X509Certificate } from 'node:crypto';
import { VaultHttpError } from '../../http/vault-http.error.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { parseStringList } from '../auth-params.js';
import {
  applyTokenFields,
  describeTokenFields,
  NO_TOKEN_FIELDS,
  type TokenFields,
} from '../token-fields.js';

/** A `certs/<name>` entry of the cert method: the certificates it trusts and its token fields. */
export interface CertRole {
  name: string;
  pem: string;
  trusted: X509Certificate[];
  displayName: string;
  allowedCommonNames: string[];
  token: TokenFields;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM bundle; Vault's error when there is none or one does not parse. */
export function parseCertificates(pem: unknown): X509Certificate[] {
  const blocks = typeof pem === 'string' ? (pem.match(PEM_BLOCK) ?? []) : [];
  try {
    if (!blocks.length) throw new Error('no certificate');
    return blocks.map(block => new X509Certificate(block));
  } catch {
    throw VaultHttpError.badRequest('failed to parse certificate');
  }
}

export function writeCertRole(
  name: string,
  existing: CertRole | undefined,
  body: SafeRecord,
): CertRole {
  const pem = typeof body.certificate === 'string' ? body.certificate : existing?.pem;
  return {
    name,
    pem: pem ?? '',
    trusted: parseCertificates(pem),
    displayName:
      typeof body.display_name === 'string' ? body.display_name : (existing?.displayName ?? name),
    allowedCommonNames:
      parseStringList(body.allowed_common_names) ?? existing?.allowedCommonNames ?? [],
    token: applyTokenFields(existing?.token ?? NO_TOKEN_FIELDS, body),
  };
}

export function describeCertRole(role: CertRole) {
  return {
    allowed_common_names: role.allowedCommonNames.length ? [...role.allowedCommonNames] : null,
    allowed_dns_sans: null,
    allowed_email_sans: null,
    allowed_metadata_extensions: null,
    allowed_names: null,
    allowed_organizational_units: null,
    allowed_uri_sans: null,
    certificate: role.pem,
    display_name: role.displayName,
    ocsp_ca_certificates: '',
    ocsp_enabled: false,
    ocsp_fail_open: false,
    ocsp_query_all_servers: false,
    ocsp_servers_override: null,
    required_extensions: null,
    ...describeTokenFields(role.token),
  };
}
