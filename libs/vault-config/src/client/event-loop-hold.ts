/**
 * Whether a connection's requests keep the process alive. `VaultConfigModule.forRoot` starts reading
 * Vault when the app module file is evaluated; an app that never instantiates the module (a test that
 * overrides it) must still exit, so until the module claims the read its sockets and timers are
 * unref'd. Once claimed, requests hold the process as any request does.
 */
export class EventLoopHold {
  #held: boolean;

  constructor(held = true) {
    this.#held = held;
  }

  get held(): boolean {
    return this.#held;
  }

  /** From now on, requests keep the process alive. */
  hold(): void {
    this.#held = true;
  }

  /** Unrefs a socket or timer while the connection does not hold the process. */
  apply<T extends { unref(): unknown }>(handle: T): T {
    if (!this.#held) handle.unref();
    return handle;
  }
}
