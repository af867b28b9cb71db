import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { IsString } from 'class-validator';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import { loadSchemaCheck } from './schema-validator.js';

class Undecorated {
  JWT_SECRET!: string;
}

class Decorated {
  @IsString()
  JWT_SECRET!: string;
}

describe('loadSchemaCheck', () => {
  it('rejects a schema class without decorators with an options error naming it', async () => {
    const error = await loadSchemaCheck(Undecorated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultConfigOptionsError);
    expect((error as Error).message).toContain(
      'schema Undecorated has no class-validator decorators',
    );
  });

  it('validates a decorated schema by property name and constraint', async () => {
    const check = await loadSchemaCheck(Decorated);
    expect(check.properties).toEqual(['JWT_SECRET']);
    const { failures } = await check.validate({ JWT_SECRET: undefined });
    expect(failures).toEqual([{ key: 'JWT_SECRET', constraints: ['isString'] }]);
  });
});
