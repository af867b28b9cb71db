export interface AuditResponse {
  /** Not written: Vault's audit entries carry no HTTP status. */
  statusCode: number;
  /** The response `data`; every string in it is HMAC'd. */
  data?: unknown;
  /** The response `auth` block (snake_case as on the wire, or {@link AuditAuth}-shaped). */
  auth?: unknown;
  warnings?: string[];
}
