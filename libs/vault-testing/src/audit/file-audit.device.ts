import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { AuditEntryFormatter } from './audit-entry.formatter.js';
import { identifiedHmac } from './audit-hash.js';
import type { AuditAuth } from './interfaces/audit-auth.interface.js';
import type { AuditEntry } from './interfaces/audit-entry.interface.js';
import type { FileAuditDeviceOptions } from './interfaces/audit-file-device-options.interface.js';
import type { AuditRequest } from './interfaces/audit-request.interface.js';
import type { AuditResponse } from './interfaces/audit-response.interface.js';

/**
 * Vault's `file` audit device: one JSON object per line for every request and every response, with
 * tokens and secret data replaced by salted HMACs (see {@link AuditEntryFormatter}).
 */
export class FileAuditDevice {
  readonly filePath: string;
  // A private field keeps the salt out of util.inspect and JSON.stringify.
  readonly #salt: Buffer;
  readonly #formatter: AuditEntryFormatter;

  constructor(options: FileAuditDeviceOptions) {
    this.filePath = options.filePath;
    this.#salt = Buffer.from(options.salt ?? randomBytes(32));
    this.#formatter = new AuditEntryFormatter(input => this.hash(input));
  }

  /** What `sys/audit-hash/<path>` answers for `input`. */
  hash(input: string): string {
    return identifiedHmac(this.#salt, input);
  }

  logRequest(auth: AuditAuth, request: AuditRequest, error?: string): void {
    this.write(this.#formatter.request(auth, request, error));
  }

  logResponse(
    auth: AuditAuth,
    request: AuditRequest,
    response: AuditResponse,
    error?: string,
  ): void {
    this.write(this.#formatter.response(auth, request, response, error));
  }

  private write(entry: AuditEntry): void {
    // Synchronous, so the line is on disk before the response is sent (Vault blocks on its audit device too).
    appendFileSync(this.filePath, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }
}
