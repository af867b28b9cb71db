import type { LoadMode } from '../interfaces/load-summary.interface.js';

export interface StartupCounts {
  keys: number;
  fromVault: number;
  fromEnv: number;
  fromDefaults: number;
  sources: number;
  durationMs: number;
  authMethod: string;
}

/** The one startup line: counts, sources, time, auth method — never a value or a token. */
export function startupLogLine(
  mode: LoadMode,
  c: StartupCounts,
  unavailable?: { address: string; errorCode: string },
): string {
  const ms = Math.round(c.durationMs);
  if (mode === 'vault') {
    return (
      `Loaded ${c.keys} secrets (${c.fromVault} vault, ${c.fromEnv} env, ${c.fromDefaults} default) ` +
      `from ${c.sources} source${c.sources === 1 ? '' : 's'} in ${ms} ms via ${c.authMethod}`
    );
  }
  const counts = `${c.keys} secrets (${c.fromEnv} env, ${c.fromDefaults} default)`;
  if (mode === 'disabled') {
    return `Vault disabled (enabled: false): loaded ${counts} from environment and defaults in ${ms} ms`;
  }
  const where = unavailable ? ` at ${unavailable.address} (${unavailable.errorCode})` : '';
  return (
    `Vault unavailable${where}: FALLBACK mode, loaded ${counts} from environment and defaults ` +
    `in ${ms} ms (onUnavailable: 'fallback')`
  );
}
