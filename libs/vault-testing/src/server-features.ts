import type { AuditBroker } from './audit-devices/audit-broker.js';
import { AppRoleBackend } from './auth/approle.backend.js';
import { seedAppRole } from './auth/approle.seed.js';
import { KubernetesBackend, seedKubernetes } from './auth/kubernetes.backend.js';
import { DatabaseEngine } from './engines/database.engine.js';
import { PkiEngine } from './engines/pki/pki.engine.js';
import { leasesRoute } from './sys/leases.routes.js';
import { namespacesRoute } from './sys/namespaces.routes.js';
import { quotasRoute } from './sys/quotas.routes.js';
import type { SysBackend } from './sys/sys.backend.js';
import type { VaultCore } from './state/vault-core.js';

/** Wires the optional features (audit, namespaces, auth methods, leases) into the core and sys/. */
export function installFeatures(core: VaultCore, sys: SysBackend, audit: AuditBroker): void {
  core.engines.authFactories.set('approle', c => new AppRoleBackend(c));
  core.engines.authFactories.set('kubernetes', c => new KubernetesBackend(c));
  core.engines.authSeeders.set('approle', seedAppRole);
  core.engines.authSeeders.set('kubernetes', seedKubernetes);
  core.engines.secretFactories.set('database', () => new DatabaseEngine());
  core.engines.secretFactories.set('pki', () => new PkiEngine());
  sys.addRoute('audit', (req, path) => audit.route(req, path));
  sys.addRoute('audit-hash', (req, path) => audit.route(req, path));
  sys.addRoute('namespaces', namespacesRoute);
  sys.addRoute('quotas', quotasRoute(core.quotas));
  for (const prefix of ['leases', 'renew', 'revoke', 'revoke-prefix', 'revoke-force']) {
    sys.addRoute(prefix, leasesRoute);
  }
}
