import type { SecretEngine } from '../engines/secret-engine.interface.js';
import type { AuthMounts } from '../state/engine-registry.js';
import type { Namespace } from '../state/namespace.js';
import { asText } from '../util/as-text.js';
import { isPlainObject, type SafeRecord } from '../util/safe-object.js';
import { CertBackend } from './cert/cert.backend.js';
import { JwtBackend } from './jwt/jwt.backend.js';
import { LdapBackend } from './ldap.backend.js';
import { UserpassBackend } from './userpass.backend.js';

type Section = Record<string, unknown>;

/** The backend at `section.path` (default: the type), enabling the mount when needed. */
function backendFor<T extends SecretEngine>(
  core: AuthMounts,
  ns: Namespace,
  section: Section,
  type: string,
  kind: new (...args: never[]) => T,
): T {
  const path = `${asText(section.path ?? type).replace(/^\/+|\/+$/g, '')}/`;
  const mount = ns.authMounts.get(path) ?? core.enableAuth(ns, path, { type });
  if (!(mount.engine instanceof kind)) throw new Error(`auth mount ${path} is not ${type}`);
  return mount.engine;
}

const entries = (value: unknown): [string, SafeRecord][] =>
  isPlainObject(value) ? Object.entries(value).map(([k, v]) => [k, isPlainObject(v) ? v : {}]) : [];

/** `auth.jwt`: `{ path?, config: { jwt_validation_pubkeys, bound_issuer }, roles }`. */
export function seedJwt(core: AuthMounts, ns: Namespace, section: Section): void {
  const backend = backendFor(core, ns, section, 'jwt', JwtBackend);
  if (isPlainObject(section.config)) backend.writeConfig(section.config);
  for (const [name, spec] of entries(section.roles)) backend.writeRole(name, spec);
}

/** `auth.cert`: `{ path?, certs: { <name>: { certificate, token_policies, ... } } }`. */
export function seedCert(core: AuthMounts, ns: Namespace, section: Section): void {
  const backend = backendFor(core, ns, section, 'cert', CertBackend);
  for (const [name, spec] of entries(section.certs)) backend.writeRole(name, spec);
}

/** `auth.userpass`: `{ path?, users: { <name>: { password, token_policies, ... } } }`. */
export function seedUserpass(core: AuthMounts, ns: Namespace, section: Section): void {
  const backend = backendFor(core, ns, section, 'userpass', UserpassBackend);
  for (const [name, spec] of entries(section.users)) backend.writeUser(name, spec);
}

/**
 * `auth.ldap`: `{ path?, config, groups: { <group>: { policies } }, users: { <name>: { groups,
 * policies } }, directory: { <name>: { password, groups } } }`; `directory` is the stand-in LDAP
 * server's content.
 */
export function seedLdap(core: AuthMounts, ns: Namespace, section: Section): void {
  const backend = backendFor(core, ns, section, 'ldap', LdapBackend);
  backend.writeConfig(isPlainObject(section.config) ? section.config : {});
  for (const [name, spec] of entries(section.groups)) backend.writeGroup(name, spec);
  for (const [name, spec] of entries(section.users)) backend.writeUser(name, spec);
  for (const [name, spec] of entries(section.directory)) backend.directory.put(name, spec);
}
