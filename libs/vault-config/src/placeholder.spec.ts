import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { VAULT_CONFIG_PLACEHOLDER } from 'nestjs-vault-config';

describe('toolchain', () => {
  it('loads Nest 12 in ESM jest', async () => {
    const mod = await Test.createTestingModule({}).compile();
    expect(mod).toBeDefined();
    expect(VAULT_CONFIG_PLACEHOLDER).toBe(true);
  });
});
