/** Vault's response envelope. */
export interface VaultEnvelope<T = Record<string, unknown>> {
  request_id?: string;
  lease_id?: string;
  renewable?: boolean;
  lease_duration?: number;
  data: T;
  warnings?: string[] | null;
  auth?: VaultAuthBlock | null;
}

export interface VaultAuthBlock {
  client_token: string;
  accessor?: string;
  policies?: string[];
  token_policies?: string[];
  lease_duration: number;
  renewable: boolean;
  metadata?: Record<string, string> | null;
}

export interface VaultHealthStatus {
  status: number;
  initialized: boolean;
  sealed: boolean;
  standby: boolean;
  version?: string;
}
