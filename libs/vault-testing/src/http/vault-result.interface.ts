/** What a handler answers; the server wraps it in Vault's envelope. */
export interface VaultResult {
  /** Default 200 with an envelope, or 204 when neither data, auth nor warnings are set. */
  status?: number;
  data?: unknown;
  auth?: unknown;
  warnings?: string[];
  leaseId?: string;
  leaseDuration?: number;
  renewable?: boolean;
  /** Answer this JSON exactly, without the envelope (sys/health, sys/seal-status...). */
  raw?: unknown;
  headers?: Record<string, string>;
  /** Force 200 + envelope even with no data. */
  envelope?: boolean;
  /** Copy `data`'s fields to the top level too (legacy sys endpoints). */
  mergeTopLevel?: boolean;
  /** HEAD: status and headers only. */
  headOnly?: boolean;
}

export const NO_CONTENT: VaultResult = { status: 204 };
