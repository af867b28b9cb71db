import { parseStringList, toBool } from '../../auth/auth-params.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import type { MountInfo } from '../../state/mount-info.interface.js';
import { SYSTEM_MAX_TTL_SECONDS } from '../../state/token-store.js';
import { rfc3339 } from '../../util/duration.js';
import { asText } from '../../util/as-text.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { ipAddressBytes } from './ip-address.js';
import { newSerial, type StoredCertificate } from './pki-certificates.js';
import { cappedTtl, type PkiIssuer } from './pki-issuer.js';
import { generatePkiKey, privateKeyPem } from './pki-keys.js';
import { nameAllowed } from './pki-names.js';
import { fieldDuration, keyUsageBits, type PkiRole } from './pki-role.js';
import { buildCertificate } from './x509-certificate.js';

const CN_REQUIRED =
  'the common_name field is required, or must be provided in a CSR with "use_csr_common_name" ' +
  'set to true, unless "require_cn" is set to false';

export interface IssuedLeaf {
  data: Record<string, unknown>;
  stored: StoredCertificate;
}

/**
 * `pki/issue/<role>`: checks the names against the role (common name first, then alt_names,
 * then ip_sans), caps the TTL at the role's (or mount's) max TTL with a warning, refuses a
 * notAfter beyond the CA's, and signs a new key pair's certificate with the issuer's key.
 */
export async function issueLeaf(
  role: PkiRole,
  issuer: PkiIssuer,
  body: SafeRecord,
  mount: MountInfo,
  now: number,
  warnings: string[],
): Promise<IssuedLeaf> {
  if (role.keyType === 'any') {
    throw VaultHttpError.badRequest(
      'role key type "any" not allowed for issuing certificates, only signing',
    );
  }
  const commonName = typeof body.common_name === 'string' ? body.common_name : '';
  if (commonName === '' && role.requireCn) throw VaultHttpError.badRequest(CN_REQUIRED);
  if (commonName !== '' && !nameAllowed(role, commonName)) {
    throw VaultHttpError.badRequest(`common name ${commonName} not allowed by this role`);
  }
  const altNames = parseStringList(body.alt_names) ?? [];
  for (const name of altNames) {
    if (!nameAllowed(role, name)) {
      throw VaultHttpError.badRequest(`subject alternate name ${name} not allowed by this role`);
    }
  }
  const ipSans = parseStringList(body.ip_sans) ?? [];
  const ipBytes = ipSans.map(ip => {
    const bytes = ipAddressBytes(ip);
    if (!bytes) throw VaultHttpError.badRequest(`the value "${ip}" is not a valid IP address`);
    return bytes;
  });
  if (ipBytes.length && !role.allowIpSans) {
    throw VaultHttpError.badRequest(
      'IP Subject Alternative Names are not allowed in this role, but was provided via the API',
    );
  }
  const format = body.private_key_format ?? 'der';
  if (format !== 'der' && format !== 'pkcs8' && format !== '') {
    throw VaultHttpError.badRequest(`Unknown private key format specified: ${asText(format)}`);
  }

  const maxTtl = role.maxTtl || mount.config.max_lease_ttl || SYSTEM_MAX_TTL_SECONDS;
  const asked =
    fieldDuration(body, 'ttl', 0) ||
    role.ttl ||
    mount.config.default_lease_ttl ||
    SYSTEM_MAX_TTL_SECONDS;
  const ttl = cappedTtl(asked, maxTtl, warnings);
  const notAfterExact = now + ttl * 1000;
  if (notAfterExact > issuer.notAfter) {
    throw VaultHttpError.badRequest(
      `cannot satisfy request, as TTL would result in notAfter of ${rfc3339(notAfterExact)} ` +
        `that is beyond the expiration of the CA certificate at ${rfc3339(issuer.notAfter)}`,
    );
  }
  const notAfter = Math.floor(notAfterExact / 1000) * 1000;
  const excludeCn = toBool(body.exclude_cn_from_sans, 'exclude_cn_from_sans');
  const dnsNames = [
    ...new Set([...(commonName && !excludeCn ? [commonName] : []), ...altNames]),
  ].filter(n => !n.includes('@'));
  const key = await generatePkiKey(role.keyType, role.keyBits);
  const serial = newSerial();
  const certificate = buildCertificate({
    serial: serial.bytes,
    subjectCommonName: commonName,
    issuerCommonName: issuer.commonName,
    notBefore: now - role.notBeforeDuration * 1000,
    notAfter,
    publicKey: key.publicKey,
    signingKey: issuer.key.privateKey,
    authorityKeyId: issuer.subjectKeyId,
    ca: false,
    keyUsage: keyUsageBits(role),
    serverAuth: role.serverFlag,
    clientAuth: role.clientFlag,
    dnsNames,
    ipAddresses: ipBytes,
  });
  return {
    data: {
      ca_chain: [issuer.certificate],
      certificate,
      expiration: notAfter / 1000,
      issuing_ca: issuer.certificate,
      private_key: privateKeyPem(key, format === 'pkcs8' ? 'pkcs8' : 'der'),
      private_key_type: key.type,
      serial_number: serial.text,
    },
    stored: { serial: serial.text, certificate, notAfter, issuerId: issuer.id },
  };
}
