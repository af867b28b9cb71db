import type { AuditBroker } from './audit-devices/audit-broker.js';
import { AppRoleBackend } from './auth/approle.backend.js';
import { seedAppRole } from './auth/approle.seed.js';
import { CertBackend } from './auth/cert/cert.backend.js';
import { JwtBackend } from './auth/jwt/jwt.backend.js';
import { KubernetesBackend, seedKubernetes } from './auth/kubernetes.backend.js';
import { LdapBackend } from './auth/ldap.backend.js';
import { seedCert, seedJwt, seedLdap, seedUserpass } from './auth/login-methods.seed.js';
import { UserpassBackend } from './auth/userpass.backend.js';
import { DatabaseEngine } from './engines/database.engine.js';
import { TransitEngine } from './engines/transit/transit.engine.js';
import { PkiEngine } from './engines/pki/pki.engine.js';
import { leasesRoute } from './sys/leases.routes.js';
import { namespacesRoute } from './sys/namespaces.routes.js';
import { quotasRoute } from './sys/quotas.routes.js';
import { WRAPPING_UNAUTHENTICATED, wrappingRoute } from './sys/wrapping.routes.js';
import type { SysBackend } from './sys/sys.backend.js';
import type { VaultCore } from './state/vault-core.js';

/**
 * Wires the optional features (audit, namespaces, auth methods, leases, response wrapping) into
 * the core and sys/.
 */
export function installFeatures(core: VaultCore, sys: SysBackend, audit: AuditBroker): void {
  core.engines.authFactories.set('approle', c => new AppRoleBackend(c));
  core.engines.authFactories.set('kubernetes', c => new KubernetesBackend(c));
  core.engines.authFactories.set('jwt', () => new JwtBackend());
  core.engines.authFactories.set('cert', () => new CertBackend());
  core.engines.authFactories.set('userpass', () => new UserpassBackend());
  core.engines.authFactories.set('ldap', () => new LdapBackend());
  core.engines.authSeeders.set('approle', seedAppRole);
  core.engines.authSeeders.set('kubernetes', seedKubernetes);
  core.engines.authSeeders.set('jwt', seedJwt);
  core.engines.authSeeders.set('cert', seedCert);
  core.engines.authSeeders.set('userpass', seedUserpass);
  core.engines.authSeeders.set('ldap', seedLdap);
  core.engines.secretFactories.set('database', () => new DatabaseEngine());
  core.engines.secretFactories.set('transit', c => new TransitEngine(c));
  core.engines.secretFactories.set('pki', () => new PkiEngine());
  sys.addRoute('audit', (req, path) => audit.route(req, path));
  sys.addRoute('audit-hash', (req, path) => audit.route(req, path));
  sys.addRoute('namespaces', namespacesRoute);
  sys.addRoute('wrapping', wrappingRoute, { unauthenticated: WRAPPING_UNAUTHENTICATED });
  sys.addRoute('quotas', quotasRoute(core.quotas));
  for (const prefix of ['leases', 'renew', 'revoke', 'revoke-prefix', 'revoke-force']) {
    sys.addRoute(prefix, leasesRoute);
  }
}
