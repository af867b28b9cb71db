import type { VaultClient } from '../../client/vault.client.js';
import { isTlsErrorCode } from '../../utils/tls-error-code.js';
import { VaultUnavailableError } from '../../errors/vault-unavailable.error.js';
import type { VaultHealthStatus } from '../../interfaces/vault-envelope.interface.js';
import { describeError } from '../../errors/describe-error.js';
import type { DoctorCheck } from './doctor-check.interface.js';

export interface AddressCheckResult {
  readonly check: DoctorCheck;
  /** False when nothing else can be checked. */
  readonly usable: boolean;
  /** The transport's error code when Vault could not be reached (ECONNREFUSED, TLS codes, ...). */
  readonly errorCode?: string;
}

/** Is the address a Vault that answers sys/health, initialised and unsealed? */
export async function checkAddress(client: VaultClient): Promise<AddressCheckResult> {
  const fix = `check VAULT_ADDR (${client.address}), that Vault runs there and that the network lets you through`;
  let health: VaultHealthStatus;
  try {
    health = await client.health();
  } catch (error) {
    if (error instanceof VaultUnavailableError) {
      const tls = isTlsErrorCode(error.errorCode);
      return {
        check: {
          check: 'address',
          status: 'fail',
          detail: `${client.address} unreachable (${error.errorCode})`,
          fix: tls ? 'see the tls row' : fix,
        },
        usable: false,
        errorCode: error.errorCode,
      };
    }
    return {
      check: { check: 'address', status: 'fail', detail: describeError(error), fix },
      usable: false,
    };
  }
  const version = health.version ? `, version ${health.version}` : '';
  if (!health.initialized) {
    return {
      check: {
        check: 'address',
        status: 'fail',
        detail: `${client.address} is not initialised`,
        fix: 'initialise Vault: vault operator init',
      },
      usable: false,
    };
  }
  if (health.sealed) {
    return {
      check: {
        check: 'address',
        status: 'fail',
        detail: `${client.address} is sealed`,
        fix: 'unseal Vault: vault operator unseal',
      },
      usable: false,
    };
  }
  if (health.standby || health.status !== 200) {
    return {
      check: {
        check: 'address',
        status: 'warn',
        detail: `${client.address} answers as a standby or secondary node (HTTP ${health.status}${version})`,
        fix: 'point VAULT_ADDR at the active node or its load balancer',
      },
      usable: true,
    };
  }
  return {
    check: {
      check: 'address',
      status: 'ok',
      detail: `${client.address} reachable, unsealed${version}`,
      fix: '-',
    },
    usable: true,
  };
}
