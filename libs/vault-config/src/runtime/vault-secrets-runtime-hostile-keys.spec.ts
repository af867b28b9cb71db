/**
 * Key names are Vault's text: a refresh that finds keys holding a newline, ESC, CSI (U+009B), a
 * bidi override or a line separator logs one line, with each of them written out visibly.
 */
import { describe, expect } from '@jest/globals';
import { canary, fixtureTest, RuntimeFixture } from './vault-secrets-runtime.spec-helpers.js';

const HOSTILE_KEYS = {
  forged: 'A\n[Nest] 1  - 01/01/2026  LOG [VaultConfig] forged',
  clear: 'B\u001b[2J',
  csi: 'C\u009b31m',
  rtl: 'D\u202etxt.exe',
  separator: 'E\u2028F',
};

const test = fixtureTest(async () => {
  const v = new RuntimeFixture(await RuntimeFixture.startServer(), {
    sources: [{ mount: 'secret', path: 'hostile' }],
  });
  await v.call('POST', 'secret/data/hostile', { data: { SAFE: canary('safe') } });
  return v;
});

describe('VaultSecretsRuntime: key names from Vault in the change log', () => {
  test('a refresh logs one line, the controls escaped', async v => {
    const runtime = await v.runtime({ refresh: { intervalMs: 3_600_000 } });
    const values = Object.fromEntries(Object.values(HOSTILE_KEYS).map(k => [k, canary('v')]));
    v.secrets.push(...Object.values(values));
    await v.call('POST', 'secret/data/hostile', { data: { SAFE: canary('safe2'), ...values } });
    await runtime.refresh();

    const changed = v.logger.lines('log').filter(l => l.startsWith('Vault secrets changed'));
    expect(changed).toHaveLength(1);
    const [line] = changed;
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    expect(line).toContain('A\\n[Nest] 1  - 01/01/2026  LOG [VaultConfig] forged added');
    expect(line).toContain('B\\u001b[2J added');
    expect(line).toContain('C\\u009b31m added');
    expect(line).toContain('D\\u202etxt.exe added');
    expect(line).toContain('E\\u2028F added');
    // The event keeps the names as Vault has them: only what is shown is escaped.
    expect(v.events.at(-1)?.changes.map(c => c.key)).toEqual(
      expect.arrayContaining(Object.values(HOSTILE_KEYS)),
    );
  });
});
