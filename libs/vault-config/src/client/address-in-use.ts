/**
 * Which of a cluster's addresses requests go to. Sticky: it moves on only when the node in use
 * fails, to the next in the list (wrapping around), and never back on its own when an earlier node
 * returns. Shared by the clients made from one set of options (the module's and the health
 * probe's), so what one learns the other does not pay for again.
 */
export class AddressInUse {
  readonly addresses: readonly string[];
  #index = 0;

  constructor(addresses: readonly string[]) {
    if (addresses.length === 0) throw new Error('AddressInUse needs at least one address');
    this.addresses = addresses;
  }

  get index(): number {
    return this.#index;
  }

  get address(): string {
    return this.addresses[this.#index];
  }

  /**
   * The node at `index` failed: move past it, unless another request already did (many requests
   * in flight fail on the same node at once; they must move once, not skip healthy nodes).
   */
  leave(index: number): void {
    if (this.#index === index) this.#index = (index + 1) % this.addresses.length;
  }
}
