/** Removes the HOME that isolated-home.global-setup.js made for this run. */
import { rmSync } from 'node:fs';

export default function removeIsolatedHome() {
  const home = globalThis.__isolatedJestHome;
  if (typeof home === 'string') rmSync(home, { recursive: true, force: true });
}
