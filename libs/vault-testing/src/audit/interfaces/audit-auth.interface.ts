/** The caller's token as the server knows it; `clientToken` and `accessor` are HMAC'd in the log. */
export interface AuditAuth {
  clientToken?: string;
  accessor?: string;
  policies?: string[];
  tokenPolicies?: string[];
  metadata?: Record<string, string> | null;
  displayName?: string;
  entityId?: string;
  tokenType?: string;
}
