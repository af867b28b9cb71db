/**
 * The transit example of docs/transit.md (test/docs/customers-email.example.ts, printed verbatim there)
 * run as printed: encrypt on write, decrypt on read with a context per row, key rotation + rewrap.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { VaultTransitError } from 'nestjs-vault-config/transit';
import {
  CustomersModule,
  CustomersService,
  CustomerTable,
} from '../docs/customers-email.example.js';
import { canary, expectNoCanary } from '../support/canary.js';
import { rootCall } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { rejection, transitAppRole } from '../support/transit-app.js';
import { tamper } from '../support/transit-support.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

const README = readFileSync(join(process.cwd(), 'docs/transit.md'), 'utf8');
const EXAMPLE = readFileSync(join(process.cwd(), 'test/docs/customers-email.example.ts'), 'utf8');
/** The policy the docs' shell block writes. */
const POLICY = [
  'path "transit/encrypt/customers" { capabilities = ["update"] }',
  'path "transit/decrypt/customers" { capabilities = ["update"] }',
  'path "transit/rewrap/customers"  { capabilities = ["update"] }',
].join('\n');

describe('docs/transit.md: the transit example is printed verbatim', () => {
  it('docs/transit.md holds test/docs/customers-email.example.ts as a ts block, and its policy', () => {
    expect(README).toContain('```ts\n' + EXAMPLE + '```');
    expect(README).toContain(POLICY);
  });
});

describe.each(selectedTargets())('README transit example (%s)', kind => {
  let target: VaultTarget;
  let app: INestApplicationContext;
  const logger = new CapturingLogger();
  const emails = [canary('alice'), canary('bob'), canary('carol')].map(c => `${c}@example.com`);
  const saved = { ...process.env };

  beforeAll(async () => {
    target = await startTarget(kind);
    await rootCall(target, 'POST', 'sys/mounts/transit', { type: 'transit' });
    await rootCall(target, 'POST', 'transit/keys/customers', { derived: true });
    const role = await transitAppRole(target, 'customers', POLICY);
    Object.assign(process.env, {
      VAULT_ADDR: target.url,
      VAULT_ROLE_ID: role.roleId,
      VAULT_SECRET_ID: role.secretId,
    });
    const moduleRef = await Test.createTestingModule({ imports: [CustomersModule] })
      .setLogger(logger)
      .compile();
    app = await moduleRef.init();
  });
  afterAll(async () => {
    await app?.close();
    process.env = saved;
    await target?.stop();
  });

  it('stores only vault:v1: ciphertexts, reads the e-mails back, and a copied ciphertext fails', async () => {
    const customers = app.get(CustomersService);
    const table = app.get(CustomerTable);
    for (const [i, email] of emails.entries()) await customers.create(`c${i}`, `name ${i}`, email);
    for (const row of table.rows.values()) {
      expect(row.emailCiphertext).toMatch(/^vault:v1:/);
      expect(emails.some(e => row.emailCiphertext.includes(e))).toBe(false);
    }
    expect(await customers.email('c1')).toBe(emails[1]);
    expect(await customers.email('nobody')).toBeUndefined();
    // Another row's ciphertext does not decrypt in this row: its context derives another key.
    table.rows.get('c0')!.emailCiphertext = table.rows.get('c2')!.emailCiphertext;
    const copied = await rejection(customers.email('c0'));
    expect(copied).toBeInstanceOf(VaultTransitError);
    expect(copied).toMatchObject({ kind: 'invalid-ciphertext' });
    expectNoCanary([...renderError(copied), ...logger.lines], emails);
    await customers.create('c0', 'name 0', emails[0]);
  });

  it('key rotation, rewrapAll to v2, then min_decryption_version=2: every row still reads', async () => {
    const customers = app.get(CustomersService);
    const table = app.get(CustomerTable);
    await rootCall(target, 'POST', 'transit/keys/customers/rotate');
    expect(await customers.rewrapAll()).toBe(0);
    for (const row of table.rows.values()) expect(row.emailCiphertext).toMatch(/^vault:v2:/);
    await rootCall(target, 'POST', 'transit/keys/customers/config', { min_decryption_version: 2 });
    for (const [i, email] of emails.entries()) expect(await customers.email(`c${i}`)).toBe(email);
    // A row that cannot be rewrapped (here: altered) is counted and logged, without its value.
    await customers.create('bad', 'bad', emails[0]);
    table.rows.get('bad')!.emailCiphertext = tamper(table.rows.get('bad')!.emailCiphertext);
    expect(await customers.rewrapAll()).toBe(1);
    expect(logger.lines.some(l => l.includes('customer bad: Transit rewrap'))).toBe(true);
    expectNoCanary(logger.lines, emails);
  });
});
