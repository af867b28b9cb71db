import { credentialPoolsOf, type CredentialPoolState } from '../runtime/credential-pools.js';

type PoolDetails = Omit<CredentialPoolState, 'name'>;

/**
 * The health section of the pools that follow the module's credentials (`nestjs-vault-config/pg`),
 * by pool name: credential age, lease time left, pools draining. Absent when there is none.
 */
export function credentialPoolDetails(runtime: object): { pools?: Record<string, PoolDetails> } {
  const pools = credentialPoolsOf(runtime).list();
  if (!pools.length) return {};
  return { pools: Object.fromEntries(pools.map(({ name, ...details }) => [name, details])) };
}
