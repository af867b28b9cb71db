import type { SeedNamespace } from '../interfaces/seed-document.interface.js';
import type { Namespace } from '../state/namespace.js';
import type { VaultCore } from '../state/vault-core.js';

/** AppRole and Kubernetes roles from a seed (filled in by the auth features). */
export function seedAuth(
  core: VaultCore,
  ns: Namespace,
  auth: NonNullable<SeedNamespace['auth']>,
): void {
  for (const [kind, section] of Object.entries(auth)) {
    const seeder = core.engines.authSeeders.get(kind);
    if (!seeder) throw new Error(`seed auth method "${kind}" is not supported`);
    seeder(core, ns, section);
  }
}
