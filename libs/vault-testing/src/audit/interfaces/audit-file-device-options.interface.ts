export interface FileAuditDeviceOptions {
  /** File the JSON lines are appended to; created with mode 0600. */
  filePath: string;
  /** HMAC key; a random 32-byte salt when omitted. */
  salt?: Buffer;
}
