import type { X509Certificate } from 'node:crypto';

const MAX_DEPTH = 8;

const validAt = (cert: X509Certificate, nowMs: number) =>
  Date.parse(cert.validFrom) <= nowMs && nowMs <= Date.parse(cert.validTo);

const signedBy = (cert: X509Certificate, issuer: X509Certificate) =>
  cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

/**
 * Whether `leaf` is trusted by `trusted`, as Vault's cert method decides: the leaf itself is one
 * of them (a pinned, non-CA certificate), or a chain of valid signatures leads from it through
 * the CA certificates the client sent to a trusted CA. Every certificate on the way must be
 * within its validity period.
 */
export function chainsTo(
  leaf: X509Certificate,
  presented: readonly X509Certificate[],
  trusted: readonly X509Certificate[],
  nowMs: number,
): boolean {
  if (!validAt(leaf, nowMs)) return false;
  if (trusted.some(t => !t.ca && t.fingerprint256 === leaf.fingerprint256)) return true;
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (trusted.some(t => t.ca && validAt(t, nowMs) && signedBy(current, t))) return true;
    const next = presented.find(
      c =>
        c.ca &&
        c.fingerprint256 !== current.fingerprint256 &&
        validAt(c, nowMs) &&
        signedBy(current, c),
    );
    if (!next) return false;
    current = next;
  }
  return false;
}
