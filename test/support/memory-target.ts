/** Shared set-up of the test-server-*.contract-spec.ts suites: one memory target per suite. */
import { afterAll, beforeAll } from '@jest/globals';
import {
  startTarget,
  type MemoryServerControl,
  type TargetKind,
  type VaultTarget,
} from './vault-target.js';

export interface MemoryTargetUrls {
  /** `<target>/v1/<path>`. */
  url: (path: string) => string;
  /** The root token header, for plain `fetch` calls. */
  headers: () => Record<string, string>;
}

/**
 * Starts `kind` before the suite and stops it after (clearing any fault left behind); `bind`
 * receives the target and its memory-only controls once started.
 */
export function memoryTargetHooks(
  kind: TargetKind,
  bind: (target: VaultTarget, memory: MemoryServerControl) => void,
): MemoryTargetUrls {
  let t: VaultTarget | undefined;
  let mem: MemoryServerControl | undefined;
  beforeAll(async () => {
    t = await startTarget(kind);
    const memory = t.memory as MemoryServerControl;
    mem = memory;
    bind(t, memory);
  });
  afterAll(async () => {
    mem?.faults.clear();
    await t?.stop();
  });
  return {
    url: (path: string) => `${(t as VaultTarget).url}/v1/${path}`,
    headers: () => ({ 'X-Vault-Token': (t as VaultTarget).rootToken }),
  };
}
