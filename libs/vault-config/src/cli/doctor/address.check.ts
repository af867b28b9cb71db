import type { VaultClient } from '../../client/vault.client.js';
import { isTlsErrorCode } from '../../utils/tls-error-code.js';
import { VaultUnavailableError } from '../../errors/vault-unavailable.error.js';
import type { VaultHealthStatus } from '../../interfaces/vault-envelope.interface.js';
import { describeError } from '../../errors/describe-error.js';
import type { DoctorCheck } from './doctor-check.interface.js';

/** What sys/health said about a node. */
export type NodeRole = 'active' | 'standby' | 'sealed' | 'uninitialised' | 'unreachable';

export interface AddressCheckResult {
  readonly check: DoctorCheck;
  /** False when nothing else can be checked. */
  readonly usable: boolean;
  readonly role: NodeRole;
  /** The transport's error code when Vault could not be reached (ECONNREFUSED, TLS codes, ...). */
  readonly errorCode?: string;
}

/**
 * How the row reads: `address` for the one address of the options; `address[1]` for one node of
 * several, where a standby is normal (it forwards to the active node).
 */
export interface AddressRow {
  readonly name: string;
  readonly clustered: boolean;
}

const SINGLE: AddressRow = { name: 'address', clustered: false };

/** Is the address a Vault that answers sys/health, initialised and unsealed? */
export async function checkAddress(
  client: VaultClient,
  row: AddressRow = SINGLE,
): Promise<AddressCheckResult> {
  const where = client.address;
  const option = row.clustered ? row.name : 'VAULT_ADDR';
  const fix = `check ${option} (${where}), that Vault runs there and that the network lets you through`;
  const result = (
    role: NodeRole,
    status: DoctorCheck['status'],
    detail: string,
    fixText: string,
    errorCode?: string,
  ): AddressCheckResult => ({
    check: { check: row.name, status, detail, fix: fixText },
    usable: role === 'active' || role === 'standby',
    role,
    ...(errorCode !== undefined ? { errorCode } : {}),
  });
  let health: VaultHealthStatus;
  try {
    health = await client.health();
  } catch (error) {
    if (error instanceof VaultUnavailableError) {
      const code = error.errorCode;
      const text = isTlsErrorCode(code) ? 'see the tls row' : fix;
      return result('unreachable', 'fail', `${where} unreachable (${code})`, text, code);
    }
    return result('unreachable', 'fail', describeError(error), fix);
  }
  const version = health.version ? `, version ${health.version}` : '';
  if (!health.initialized) {
    const init = 'initialise Vault: vault operator init';
    return result('uninitialised', 'fail', `${where} is not initialised`, init);
  }
  if (health.sealed) {
    return result('sealed', 'fail', `${where} is sealed`, 'unseal Vault: vault operator unseal');
  }
  if (health.standby || health.status !== 200) {
    const answer = `HTTP ${health.status}${version}`;
    return row.clustered
      ? result('standby', 'ok', `${where} standby, unsealed (${answer})`, '-')
      : result(
          'standby',
          'warn',
          `${where} answers as a standby or secondary node (${answer})`,
          'point VAULT_ADDR at the active node or its load balancer',
        );
  }
  const active = row.clustered ? 'active' : 'reachable';
  return result('active', 'ok', `${where} ${active}, unsealed${version}`, '-');
}
