// Jest's modern fake clock for the lifecycle specs, with real HTTP to the in-memory Vault (whose
// expiry clock follows Date.now(), so it moves with this one). Timers fire in order on fake time;
// a request a timer sends is answered on real I/O before the clock moves on, so a busy machine
// changes nothing a spec sees. One spec file, one test at a time: the clock is global.
import { it, jest } from '@jest/globals';
import type { VaultClient } from '../client/vault.client.js';

const STEP_MS = 50;

class FakeClock {
  readonly #inFlight = new Set<Promise<unknown>>();
  #startedAt = 0;

  install(): void {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    this.#startedAt = Date.now();
  }

  uninstall(): void {
    jest.useRealTimers();
    this.#inFlight.clear();
  }

  /** Milliseconds of fake time since `install()`. */
  get elapsed(): number {
    return Date.now() - this.#startedAt;
  }

  /** `client`, whose every request the clock waits for before moving on. */
  track<T extends VaultClient>(client: T): T {
    const request = client.request.bind(client);
    client.request = req => {
      const sent = request(req);
      this.#inFlight.add(sent);
      const done = () => void this.#inFlight.delete(sent);
      void sent.then(done, done);
      return sent;
    };
    return client;
  }

  /** Moves the clock `ms` on, in steps; what the timers of a step sent is answered before the next. */
  async elapse(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += STEP_MS) {
      await jest.advanceTimersByTimeAsync(Math.min(STEP_MS, ms - t));
      await this.settle();
    }
  }

  /** Waits (real time, clock still) until no tracked request is in flight. */
  async settle(): Promise<void> {
    do {
      await Promise.allSettled([...this.#inFlight]);
      await new Promise(resolve => setImmediate(resolve));
      await jest.advanceTimersByTimeAsync(0);
    } while (this.#inFlight.size);
  }
}

export const fakeClock = new FakeClock();

/**
 * `it` on the fake clock, one test at a time: starts a fixture, installs the clock, runs the body,
 * and closes the fixture on real timers however the test ended (closing is where log scans fail).
 */
export function clockedTest<F extends { close(): Promise<void> }>(start: () => Promise<F>) {
  return (name: string, body: (v: F) => Promise<void>) =>
    it(name, async () => {
      const v = await start();
      fakeClock.install();
      try {
        await body(v);
      } finally {
        fakeClock.uninstall();
        await v.close();
      }
    });
}
