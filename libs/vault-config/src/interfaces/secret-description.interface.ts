export type SecretSourceKind = 'vault' | 'env' | 'default';

/** Where a key's value came from — never the value. */
export interface SecretDescription {
  key: string;
  source: SecretSourceKind;
  mount?: string;
  path?: string;
  kvVersion?: 1 | 2;
  /** KV v2 secret version. */
  version?: number;
  /** Set for a dynamic source (a leased secret such as database credentials). */
  dynamic?: true;
  /** The environment variable that supplied it (source 'env'). */
  envVar?: string;
}
