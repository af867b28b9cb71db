import type { VaultClient } from '../../client/vault.client.js';
import { describeMount } from '../../loading/describe-mount.js';
import type { ResolvedSecretSource } from '../../options/resolved-vault-config-options.interface.js';
import { describeError } from '../../errors/describe-error.js';
import { isObject } from '../../utils/is-object.js';
import { can, capabilitiesOf, policyFix } from './capabilities-self.js';
import type { DoctorCheck } from './doctor-check.interface.js';
import type { DoctorFocus } from './doctor-focus.js';
import type { MountKind, SourcePaths } from './source-paths.interface.js';
import { writeCheck } from './write-access.check.js';

async function detectMount(client: VaultClient, mount: string): Promise<MountKind> {
  try {
    const mounted = await describeMount(client, mount);
    if (mounted.state === 'kv') return mounted.version === 2 ? 'kv2' : 'kv1';
    if (mounted.state === 'denied') return 'unknown';
    return mounted.state;
  } catch {
    return 'unknown';
  }
}

export interface SourceCheckOptions {
  readonly focus: DoctorFocus;
  /** `refresh.useMetadata`: the app then reads KV v2 metadata, so its token should be allowed to. */
  readonly useMetadata: boolean;
}

/** What the app needs on `read`: `update` to issue a certificate, `read` for everything else. */
const neededCapability = (source: ResolvedSecretSource): 'read' | 'update' =>
  source.type === 'pki' ? 'update' : 'read';

/** The secrets engine each source type reads from, for `vault secrets enable`. */
const ENGINE: Readonly<Record<ResolvedSecretSource['type'], string>> = {
  kv: 'kv-v2',
  dynamic: 'database',
  pki: 'pki',
  static: 'database',
};

/** Sources the doctor never reads: a read would issue a credential or a certificate. */
const NOT_READ: Readonly<Record<string, string>> = {
  dynamic: 'readable (dynamic secret: not read, it would issue a credential)',
  pki: 'may issue (certificate source: not issued, it would sign a new certificate)',
  static: 'readable (static role: the password is not read)',
};

/**
 * For every configured source: may the token read it (and does it exist), may it read the KV v2
 * metadata when the app uses it, and may `migrate`/`rotate` write it (see DoctorFocus).
 * Capabilities come from sys/capabilities-self.
 */
export async function checkSources(
  client: VaultClient,
  sources: readonly ResolvedSecretSource[],
  options: SourceCheckOptions,
): Promise<DoctorCheck[]> {
  const mounts = new Map<string, MountKind>();
  for (const mount of new Set(sources.map(s => s.mount))) {
    mounts.set(mount, await detectMount(client, mount));
  }
  const located: SourcePaths[] = sources.map(source => {
    const kind = mounts.get(source.mount) ?? 'unknown';
    const kv =
      source.type !== 'kv' ? undefined : source.kv !== 'auto' ? source.kv : kind === 'kv1' ? 1 : 2;
    if (kv !== 2) return { source, kind, kv, read: `${source.mount}/${source.path}` };
    const read = `${source.mount}/data/${source.path}`;
    const metadata = `${source.mount}/metadata/${source.path}`;
    return { source, kind, kv, read, ...(options.useMetadata ? { metadata } : {}) };
  });
  const caps = await capabilitiesOf(client, [
    ...new Set(located.flatMap(l => (l.metadata ? [l.read, l.metadata] : [l.read]))),
  ]);
  const checks: DoctorCheck[] = [];
  for (const l of located) {
    checks.push(await readCheck(client, l, caps));
    const write = writeCheck(l, caps, options.focus);
    if (write) checks.push(write);
  }
  return checks;
}

async function readCheck(
  client: VaultClient,
  l: SourcePaths,
  caps: Map<string, Set<string>> | undefined,
): Promise<DoctorCheck> {
  const { source } = l;
  const name = `read ${source.mount}/${source.path}`;
  const capability = neededCapability(source);
  if (caps && !can(caps.get(l.read), capability)) {
    return {
      check: name,
      status: 'fail',
      detail:
        `the token may not ${capability} ${l.read}` +
        (source.required ? '' : ' (a 403 fails the boot even for an optional source)'),
      fix: policyFix(l.read, [capability]),
    };
  }
  if (l.kind === 'missing') {
    return {
      check: name,
      status: source.required ? 'fail' : 'warn',
      detail:
        `no secrets engine is mounted at ${source.mount}/` +
        (source.required ? '' : ' (optional source: skipped at boot)'),
      fix: `fix the mount name, or enable it: vault secrets enable -path=${source.mount} ${ENGINE[source.type]}`,
    };
  }
  if (l.kind === 'other' && source.type === 'kv') {
    return {
      check: name,
      status: 'fail',
      detail: `${source.mount}/ is not a KV secrets engine`,
      fix: "use a KV mount, or type: 'dynamic' for a dynamic secret",
    };
  }
  const metadataNote =
    l.metadata && caps && !can(caps.get(l.metadata), 'read')
      ? `; ${l.metadata} not readable (refresh.useMetadata: each refresh reads the data instead)`
      : '';
  const notRead = NOT_READ[source.type];
  if (notRead) {
    return {
      check: name,
      status: caps ? 'ok' : 'warn',
      detail: caps ? notRead : 'capabilities unknown',
      fix: caps ? '-' : 'allow sys/capabilities-self (the default policy does)',
    };
  }
  let res;
  try {
    res = await client.request({ method: 'GET', path: l.read });
  } catch (error) {
    return {
      check: name,
      status: 'fail',
      detail: describeError(error),
      fix: 'see the address row',
    };
  }
  if (res.status === 403) {
    return {
      check: name,
      status: 'fail',
      detail: `permission denied on ${l.read}`,
      fix: policyFix(l.read, ['read']),
    };
  }
  const payload = isObject(res.body) && isObject(res.body.data) ? res.body.data : undefined;
  if (res.status === 404 || (l.kv === 2 && payload?.data === null)) {
    return {
      check: name,
      status: source.required ? 'fail' : 'warn',
      detail:
        `the secret does not exist` +
        (l.kind === 'unknown' ? ` (or nothing is mounted at ${source.mount}/)` : '') +
        (source.required ? '' : '; optional source: skipped at boot'),
      fix: `create it, e.g. vault-config migrate --mount ${source.mount} --path ${source.path}`,
    };
  }
  if (res.status !== 200 || !payload) {
    return {
      check: name,
      status: 'fail',
      detail: `unexpected answer (HTTP ${res.status})`,
      fix: 'check the mount and path',
    };
  }
  const data = l.kv === 2 ? payload.data : payload;
  const metadata = isObject(payload.metadata) ? payload.metadata : undefined;
  const keys = isObject(data) ? Object.keys(data).length : 0;
  const version =
    l.kv === 2 && typeof metadata?.version === 'number' ? `, version ${metadata.version}` : '';
  return {
    check: name,
    status: metadataNote ? 'warn' : 'ok',
    detail: `KV v${l.kv}${version}, ${keys} key(s)${metadataNote}`,
    fix: metadataNote && l.metadata ? policyFix(l.metadata, ['read']) : '-',
  };
}
