// The specs that talk to a server of their own: each test starts a fixture, runs, and closes it
// however it ended (closing is where the log scans fail a test). They run at once: they mostly wait
// for timers.
import { it } from '@jest/globals';

export function fixtureTest<F extends { close(): Promise<void> }>(start: () => Promise<F>) {
  return (name: string, body: (v: F) => Promise<void>) =>
    it.concurrent(name, async () => {
      const v = await start();
      try {
        await body(v);
      } finally {
        await v.close();
      }
    });
}
