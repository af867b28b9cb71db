/**
 * The schema example of docs/configuration.md, as printed, against a real `postgres://` URL: the block
 * is taken from docs/configuration.md, compiled with TypeScript and used as the `schema` of a load from the test server.
 */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import {
  InvalidSecretsError,
  loadVaultSecrets,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import { VaultTestServer } from 'nestjs-vault-config-testing';

const root = resolve(import.meta.dirname, '../..');

/** The docs' `// billing-secrets.ts` block, compiled to an ES module that imports class-validator. */
function readmeSchemaModule(dir: string): string {
  const readme = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
  const block = /```ts[^\n]*\n(\/\/ billing-secrets\.ts\n[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('docs/configuration.md has no // billing-secrets.ts block');
  const js = ts.transpileModule(block, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: false,
    },
  }).outputText;
  const classValidator = pathToFileURL(createRequire(import.meta.url).resolve('class-validator'));
  const file = join(dir, 'billing-secrets.mjs');
  writeFileSync(file, js.replace(/from 'class-validator'/, `from '${classValidator.href}'`));
  return file;
}

describe('the README schema example', () => {
  let server: VaultTestServer;
  let dir: string;
  let options: VaultConfigOptions;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'readme-schema-'));
    const { BillingSecrets } = (await import(readmeSchemaModule(dir))) as {
      BillingSecrets: new () => object;
    };
    server = await VaultTestServer.start({ rootToken: 'root' });
    options = {
      address: server.url,
      auth: { method: 'token', token: 'root' },
      env: 'test',
      schema: BillingSecrets,
      sources: [{ mount: 'secret', path: 'apps/billing/{env}' }],
      envFallback: false,
    };
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (data: Record<string, string>) =>
    fetch(`${server.url}/v1/secret/data/apps/billing/test`, {
      method: 'POST',
      headers: { 'X-Vault-Token': 'root' },
      body: JSON.stringify({ data }),
    });

  it('accepts real postgres:// and postgresql:// URLs and serves PORT as a number', async () => {
    for (const url of [
      'postgres://billing:s3cret@db.internal:5432/billing?sslmode=require',
      'postgresql://billing@localhost/billing',
    ]) {
      await write({ DATABASE_URL: url, JWT_SECRET: 'j'.repeat(32), PORT: '8080' });
      const snapshot = await loadVaultSecrets(options, { env: {} });
      expect(snapshot.get('DATABASE_URL')).toBe(url);
      expect(snapshot.get('PORT')).toBe(8080);
    }
  });

  it('still rejects what is not a Postgres URL, a short JWT_SECRET and a bad PORT', async () => {
    await write({ DATABASE_URL: 'mysql://db/billing', JWT_SECRET: 'short', PORT: '99999' });
    const error = await loadVaultSecrets(options, { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSecretsError);
    expect((error as InvalidSecretsError).invalid.map(i => i.key).sort()).toEqual([
      'DATABASE_URL',
      'JWT_SECRET',
      'PORT',
    ]);
  });
});
