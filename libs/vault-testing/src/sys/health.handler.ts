import { VaultHttpError } from '../http/vault-http.error.js';
import type { VaultResult } from '../http/vault-result.interface.js';
import { VAULT_VERSION } from '../state/mount-entry.js';
import type { VaultCore } from '../state/vault-core.js';

const CODE_PARAMS = {
  activecode: 200,
  standbycode: 429,
  drsecondarycode: 472,
  performancestandbycode: 473,
  uninitcode: 501,
  sealedcode: 503,
  removedcode: 530,
} as const;

/** `sys/health`: the status code tells the state; every code is overridable by query parameter. */
export function health(core: VaultCore, query: URLSearchParams, head: boolean): VaultResult {
  const codes: Record<string, number> = { ...CODE_PARAMS };
  for (const name of Object.keys(CODE_PARAMS)) {
    const raw = query.get(name);
    if (raw === null || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 999) throw new VaultHttpError(400, []);
    codes[name] = n;
  }
  const standbyOk = isTrue(query.get('standbyok'));
  const perfStandbyOk = isTrue(query.get('perfstandbyok'));
  const mode = core.healthMode;
  const initialized = mode !== 'uninitialized';
  const sealed = core.sealed || !initialized;
  const standby = mode === 'standby' || mode === 'performance-standby';
  let status: number;
  if (!initialized) status = codes.uninitcode;
  else if (core.sealed) status = codes.sealedcode;
  else if (mode === 'dr-secondary') status = codes.drsecondarycode;
  else if (mode === 'performance-standby') {
    status = perfStandbyOk ? codes.activecode : codes.performancestandbycode;
  } else if (mode === 'standby') {
    status = standbyOk ? codes.activecode : codes.standbycode;
  } else status = codes.activecode;

  const body: Record<string, unknown> = {
    initialized,
    sealed,
    standby: sealed || standby,
    performance_standby: mode === 'performance-standby',
    replication_performance_mode: sealed ? 'unknown' : 'disabled',
    replication_dr_mode: sealed ? 'unknown' : mode === 'dr-secondary' ? 'secondary' : 'disabled',
    server_time_utc: Math.floor(core.clock.now() / 1000),
    version: VAULT_VERSION,
    enterprise: false,
    echo_duration_ms: 0,
    clock_skew_ms: 0,
  };
  if (!sealed) {
    body.cluster_name = core.clusterName;
    body.cluster_id = core.clusterId;
  }
  return head ? { status, raw: undefined, headOnly: true } : { status, raw: body };
}

export function sealStatus(core: VaultCore): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: 'shamir',
    initialized: core.healthMode !== 'uninitialized',
    sealed: core.sealed,
    t: 1,
    n: 1,
    progress: 0,
    nonce: '',
    version: VAULT_VERSION,
    build_date: '2024-06-10T10:11:34Z',
    migration: false,
    recovery_seal: false,
    storage_type: 'inmem',
  };
  if (!core.sealed) {
    body.cluster_name = core.clusterName;
    body.cluster_id = core.clusterId;
  }
  return body;
}

function isTrue(value: string | null): boolean {
  return value !== null && (value === '' || value === 'true' || value === '1');
}
