export interface AuditRequest {
  id: string;
  /** Vault's logical operation: `create`, `read`, `update`, `patch`, `delete`, `list`. */
  operation: string;
  path: string;
  /** The request body; every string in it is HMAC'd. */
  data?: unknown;
  remoteAddress: string;
  /** Namespace path, `''` for the root namespace. */
  namespace: string;
  mountType?: string;
  clientToken?: string;
}
