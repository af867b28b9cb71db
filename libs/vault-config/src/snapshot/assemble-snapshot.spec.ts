import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, ValidateNested } from 'class-validator';
import { InvalidSecretsError } from '../errors/invalid-secrets.error.js';
import { MissingSecretsError } from '../errors/missing-secrets.error.js';
import type { LoadMode } from '../interfaces/load-summary.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { loadSchemaCheck } from '../validation/schema-validator.js';
import { assembleSnapshot } from './assemble-snapshot.js';

class Database {
  @IsString() host!: string;
  @IsInt() @Max(65535) port!: number;
}

class Schema {
  // A JSON value from Vault, parsed into an object that is validated field by field.
  @ValidateNested()
  @Transform(({ value }) => plainToInstance(Database, JSON.parse(String(value)) as object))
  DB!: Database;
  @IsInt() @Max(65535) PORT!: number;
  @IsOptional() @IsString() OPTIONAL?: string;
}

async function assemble(
  options: Partial<VaultConfigOptions>,
  data: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv,
  mode: LoadMode = 'vault',
) {
  const resolved = validateVaultConfigOptions(
    {
      address: 'http://127.0.0.1:8200',
      auth: { method: 'token', token: 'unused' },
      sources: [{ mount: 'secret', path: 'app' }],
      ...options,
    },
    {},
  );
  const source = resolved.sources[0];
  const results = data ? [{ source, found: true, kvVersion: 2 as const, version: 4, data }] : [];
  const check = options.schema ? await loadSchemaCheck(options.schema) : undefined;
  return assembleSnapshot({ resolved, results, mode, env, check, startedAt: 0 });
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('assembleSnapshot: schema failures', () => {
  it('names the source of each invalid value, nested keys by their top-level key', async () => {
    const error = await rejection(
      assemble(
        { schema: Schema },
        { DB: JSON.stringify({ host: 'db', port: 70000 }) },
        { PORT: '99999' },
      ),
    );
    expect(error).toBeInstanceOf(InvalidSecretsError);
    expect((error as InvalidSecretsError).invalid).toEqual([
      { key: 'DB.port', constraints: ['max'], source: 'secret/app (kv2 version 4)' },
      { key: 'PORT', constraints: ['max'], source: 'env PORT' },
    ]);
  });
});

describe('assembleSnapshot: [VAULT] placeholders', () => {
  it('marks a required key whose variable (or alias) holds the placeholder', async () => {
    const error = await rejection(
      assemble(
        { required: ['API_KEY', 'OTHER'], envFallback: { aliases: { API_KEY: ['OLD_API_KEY'] } } },
        { UNRELATED: 'x' },
        { OLD_API_KEY: '[VAULT]' },
      ),
    );
    expect(error).toBeInstanceOf(MissingSecretsError);
    expect((error as MissingSecretsError).missing).toEqual([
      {
        key: 'API_KEY',
        lookedIn: ['secret/app (kv2)', 'env API_KEY|OLD_API_KEY'],
        placeholderIn: 'OLD_API_KEY',
      },
      { key: 'OTHER', lookedIn: ['secret/app (kv2)', 'env OTHER'] },
    ]);
  });

  it('says when no Vault source can provide the key', async () => {
    const error = await rejection(
      assemble(
        { required: ['API_KEY'], enabled: false },
        undefined,
        { API_KEY: '[VAULT]' },
        'disabled',
      ),
    );
    expect((error as Error).message).toContain(
      'API_KEY (looked in env API_KEY): env API_KEY holds the [VAULT] placeholder left by ' +
        'vault-config migrate, but no Vault source can provide API_KEY: add it to a source, or ' +
        'set a real value.',
    );
  });

  it('warns once about placeholders Vault did not fill, and says what the app got instead', async () => {
    const { placeholderWarning, snapshot } = await assemble(
      { defaults: { TIMEOUT: 5 }, envFallback: { aliases: { TOKEN: ['OLD_TOKEN'] } } },
      { MOVED: 'from-vault' },
      {
        MOVED: '[VAULT]',
        TIMEOUT: '[VAULT]',
        TOKEN: '[VAULT]',
        OLD_TOKEN: 'from-env',
        UNDECLARED: '[VAULT]',
        SET: 'x',
      },
    );
    expect(snapshot.get('MOVED')).toBe('from-vault');
    expect(placeholderWarning).toBe(
      '3 environment variable(s) hold the [VAULT] placeholder left by vault-config migrate, but ' +
        'no Vault source provided the key: TIMEOUT: using its default; TOKEN: using env ' +
        'OLD_TOKEN; UNDECLARED: unset. Put the values in a Vault source (secret/app), or set real ' +
        'values in the environment.',
    );
    // Every placeholder filled by Vault: nothing to warn about.
    const filled = await assemble({}, { MOVED: 'v' }, { MOVED: '[VAULT]', OTHER: 'x' });
    expect(filled.placeholderWarning).toBeUndefined();
  });
});
