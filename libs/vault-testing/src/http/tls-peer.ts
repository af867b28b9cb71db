import { X509Certificate } from 'node:crypto';
import { TLSSocket, type DetailedPeerCertificate } from 'node:tls';

export interface PeerCertificates {
  clientCertificate?: X509Certificate;
  clientChain?: X509Certificate[];
}

/**
 * The certificate a TLS client presented and the chain it sent with it, unverified (the cert
 * auth method decides whom it trusts). `socket` is the connection's socket or a wrapper with
 * `raw`; plain TCP has none.
 */
export function peerCertificates(socket: unknown): PeerCertificates {
  const raw = socket instanceof TLSSocket ? socket : (socket as { raw?: unknown } | null)?.raw;
  if (!(raw instanceof TLSSocket)) return {};
  const leaf = raw.getPeerCertificate(true) as Partial<DetailedPeerCertificate>;
  if (!leaf.raw) return {};
  const chain: X509Certificate[] = [];
  const seen = new Set([leaf.fingerprint256]);
  for (
    let c = leaf.issuerCertificate;
    c?.raw && !seen.has(c.fingerprint256);
    c = c.issuerCertificate
  ) {
    seen.add(c.fingerprint256);
    chain.push(new X509Certificate(c.raw));
  }
  return { clientCertificate: new X509Certificate(leaf.raw), clientChain: chain };
}
