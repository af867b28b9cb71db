/** One line of the file audit device, with Vault's field names. */
export interface AuditEntry {
  time: string;
  type: 'request' | 'response';
  auth: AuditAuthEntry;
  request: AuditRequestEntry;
  response?: AuditResponseEntry;
  error?: string;
}

export interface AuditAuthEntry {
  client_token?: string;
  accessor?: string;
  display_name?: string;
  policies?: string[];
  token_policies?: string[];
  metadata?: Record<string, string>;
  entity_id?: string;
  token_type?: string;
  token_ttl?: number;
}

export interface AuditRequestEntry {
  id: string;
  operation: string;
  mount_type?: string;
  client_token?: string;
  client_token_accessor?: string;
  namespace: { id: string; path?: string };
  path: string;
  data?: unknown;
  remote_address: string;
}

export interface AuditResponseEntry {
  auth?: AuditAuthEntry;
  mount_type?: string;
  data?: unknown;
  warnings?: string[];
}
