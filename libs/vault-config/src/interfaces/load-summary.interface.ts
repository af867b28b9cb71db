import type { VaultAuthMethodName } from './vault-config-options.interface.js';

export type LoadMode = 'vault' | 'fallback' | 'disabled';

export interface LoadSummary {
  mode: LoadMode;
  /** 'none' when Vault was not used. */
  authMethod: VaultAuthMethodName | 'none';
  /** Vault sources read (optional missing ones are not counted). */
  sources: number;
  keys: number;
  fromVault: number;
  fromEnv: number;
  fromDefaults: number;
  durationMs: number;
  startupLogLine: string;
}
