import type {
  VaultRequest,
  VaultResponse,
  VaultTransport,
} from '../interfaces/vault-transport.interface.js';
import { INSPECT } from '../utils/inspect.js';
import { AddressInUse } from './address-in-use.js';
import { markAnsweredBy } from './answered-by.js';
import { isNodeDownAnswer, isNodeDownError, mayResendElsewhere } from './node-failure.js';
import { isIdempotent } from './retrying-request.js';

/** One node of a cluster: the address it is known by (in errors, health, doctor) and its transport. */
export interface VaultNode {
  readonly address: string;
  readonly transport: VaultTransport;
}

/**
 * Spreads requests over the nodes of one Vault cluster (`address: [...]`). A request goes to the
 * node in use; when that node is down (see node-failure.ts) the next one is in use from then on,
 * and the request is sent there too if that is safe (`mayResendElsewhere`: never a non-idempotent
 * request that may have reached Vault). One call tries each node at most once; what the last node
 * said is the answer, for the client's retry rules to judge. Every answer and failure is marked
 * with the address it came from (answered-by.ts).
 */
export class FailoverVaultTransport implements VaultTransport {
  readonly #nodes: readonly VaultNode[];
  readonly #inUse: AddressInUse;

  constructor(nodes: readonly VaultNode[], inUse?: AddressInUse) {
    if (nodes.length === 0) throw new Error('FailoverVaultTransport needs at least one node');
    const addresses = nodes.map(n => n.address);
    if (inUse && inUse.addresses.join('\n') !== addresses.join('\n')) {
      throw new Error('FailoverVaultTransport: the shared AddressInUse lists other addresses');
    }
    this.#nodes = nodes;
    this.#inUse = inUse ?? new AddressInUse(addresses);
  }

  /** The address requests go to now. */
  get address(): string {
    return this.#inUse.address;
  }

  get addresses(): readonly string[] {
    return this.#inUse.addresses;
  }

  async request(req: VaultRequest): Promise<VaultResponse> {
    const idempotent = req.idempotent ?? isIdempotent(req.method);
    const tried = new Set<number>();
    for (;;) {
      // The node in use now: another request may have moved on while this one waited.
      let index = this.#inUse.index;
      while (tried.has(index)) index = (index + 1) % this.#nodes.length;
      tried.add(index);
      const node = this.#nodes[index];
      const last = tried.size === this.#nodes.length;
      let response: VaultResponse;
      try {
        response = markAnsweredBy(await node.transport.request(req), node.address);
      } catch (error) {
        if (typeof error === 'object' && error !== null) markAnsweredBy(error, node.address);
        if (!isNodeDownError(error)) throw error;
        this.#inUse.leave(index);
        if (last || !mayResendElsewhere(error as Error, idempotent)) throw error;
        continue;
      }
      if (!isNodeDownAnswer(response)) return response;
      this.#inUse.leave(index);
      if (last || !mayResendElsewhere(response, idempotent)) return response;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#nodes.map(async n => n.transport.close?.()));
  }

  [INSPECT](): string {
    return `FailoverVaultTransport { address: '${this.address}', addresses: ${this.#nodes.length} }`;
  }
}
