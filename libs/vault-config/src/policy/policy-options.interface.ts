import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';

/** A source as the policy sees it: where the module sends its requests. */
export interface PolicySource {
  readonly type: 'kv' | 'dynamic' | 'pki' | 'static';
  readonly mount: string;
  /** Inside the mount, `{env}` replaced: `issue/<role>` for PKI, `static-creds/<role>` for static. */
  readonly path: string;
  readonly kv: 'auto' | 1 | 2;
}

/** The few options a policy depends on. */
export interface PolicyOptions {
  readonly enabled: boolean;
  /** What `{env}` was replaced with. */
  readonly env: string;
  readonly sources: readonly PolicySource[];
  readonly useMetadata: boolean;
  readonly renewToken: boolean;
  readonly revokeOnShutdown: boolean;
  readonly authMethod: string;
}

/** The policy's view of options the module resolved (what `doctor` and the CLI have). */
export function policyOptionsOf(resolved: ResolvedVaultConfigOptions): PolicyOptions {
  return {
    enabled: resolved.enabled,
    env: resolved.env,
    sources: resolved.sources.map(s => ({
      type: s.type,
      mount: s.mount,
      path: s.path,
      kv: s.type === 'kv' || s.type === 'dynamic' ? s.kv : 'auto',
    })),
    useMetadata: resolved.refresh?.useMetadata === true,
    renewToken: resolved.renewToken,
    revokeOnShutdown: resolved.revokeOnShutdown,
    authMethod: resolved.authMethod,
  };
}
