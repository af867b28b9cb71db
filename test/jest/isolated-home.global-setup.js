/**
 * Every Jest run gets a HOME of its own: a fresh, empty temp folder, set before the workers start, so
 * each test file and every process it starts (bao dev servers write `~/.vault-token`, the CLI reads
 * it) sees that folder and never the developer's. In-process code sees it too: `os.homedir()` reads
 * the real environment, which a test's sandboxed `process.env` cannot change.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function isolateHome() {
  const home = mkdtempSync(join(tmpdir(), 'jest-home-'));
  globalThis.__isolatedJestHome = home;
  process.env.HOME = home;
  process.env.USERPROFILE = home;
  // Where tools look besides HOME; unset, they fall back to HOME.
  for (const name of ['XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'VAULT_CONFIG_PATH']) {
    delete process.env[name];
  }
}
