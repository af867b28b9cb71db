import { randomBytes } from 'node:crypto';

/** A certificate the mount issued (unless its role says `no_store`), by serial. */
export interface StoredCertificate {
  readonly serial: string;
  readonly certificate: string;
  /** ms since the epoch, whole seconds (X.509 time). */
  readonly notAfter: number;
  readonly issuerId: string;
  revokedAt?: number;
}

/** A fresh 20-byte serial (positive), as Vault's `aa:bb:…` text and as bytes. */
export function newSerial(): { bytes: Buffer; text: string } {
  const bytes = randomBytes(20);
  bytes[0] &= 0x7f;
  if (bytes[0] === 0) bytes[0] = 0x01; // keep all 20 bytes significant
  return { bytes, text: [...bytes].map(b => b.toString(16).padStart(2, '0')).join(':') };
}

/** Vault accepts `aa:bb` and `aa-bb`, any case. */
export const normaliseSerial = (text: string): string =>
  text.trim().toLowerCase().replace(/-/g, ':');

export class PkiCertificates {
  readonly #bySerial = new Map<string, StoredCertificate>();

  add(cert: StoredCertificate): void {
    this.#bySerial.set(cert.serial, cert);
  }

  get(serial: string): StoredCertificate | undefined {
    return this.#bySerial.get(normaliseSerial(serial));
  }

  serials(): string[] {
    return [...this.#bySerial.keys()].sort();
  }
}
