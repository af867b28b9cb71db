/**
 * Shared set-up of the loader-vault*.e2e-spec.ts suites: each starts a target and seeds it the same
 * way (KV v1 + v2 sources, a least-privilege token, an AppRole, a namespace when supported), and
 * after its tests checks that no planted value reached a log line, an error or a snapshot.
 */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { IsInt, IsString, IsUrl, Max } from 'class-validator';
import { VaultConfigError, type VaultConfigOptions } from 'nestjs-vault-config';
import { rootCall } from './lifecycle-support.js';
import { CapturingLogger } from './module-support.js';
import {
  selectedTargets,
  startTarget,
  vaultRequest,
  type TargetKind,
  type VaultTarget,
} from './vault-target.js';

/** Planted values: none may show up in a log line, an error or a rendered snapshot. */
export const CANARY = {
  db: 'canary-db-url-7f3a9c',
  jwt: 'canary-jwt-secret-1b2d4e',
  smtp: 'canary-smtp-password-5e6f',
  ns: 'canary-namespace-secret-0a0b',
  env: 'canary-env-value-9z8y',
  token: 'canary-token-hvs.Q1W2E3R4',
};

export class BillingSecrets {
  @IsUrl({ require_tld: false, protocols: ['postgres'] })
  DATABASE_URL!: string;
  @IsString()
  JWT_SECRET!: string;
  @IsInt()
  @Max(65535)
  PORT!: number;
}

const targets = selectedTargets();
/** `describe.each` over the selected targets (a skipped block when none is selected). */
export const describeEachTarget = targets.length
  ? describe.each(targets)
  : describe.skip.each(['none']);

export interface LoaderFixture {
  readonly target: VaultTarget;
  readonly leastPrivilegeToken: string;
  readonly roleId: string;
  readonly secretId: string;
  readonly namespaceSupported: boolean;
  /** A scratch directory for token, secret-id and JWT files. */
  readonly tmp: string;
}

export interface LoaderTools {
  /** Every line the loads of this suite logged. */
  readonly logger: CapturingLogger;
  /** Every error and snapshot of this suite, scanned for canaries at the end. */
  readonly seen: unknown[];
  /** Options reading the target with its root token (2 quick attempts, no env fallback). */
  base: (extra?: Partial<VaultConfigOptions>) => VaultConfigOptions;
  /** The VaultConfigError `p` rejects with (kept in `seen`). */
  rejectionOf: (p: Promise<unknown>) => Promise<VaultConfigError>;
}

/**
 * Starts and seeds `kind` before the suite (handing the fixture to `bind`), stops it after, and
 * then scans everything the suite logged, threw or loaded for the planted values.
 */
export function loaderSuite(kind: TargetKind, bind: (fixture: LoaderFixture) => void): LoaderTools {
  let fixture: LoaderFixture | undefined;
  const logger = new CapturingLogger();
  const seen: unknown[] = [];
  const target = () => (fixture as LoaderFixture).target;

  beforeAll(async () => {
    fixture = await startLoaderFixture(kind);
    bind(fixture);
  });

  afterAll(async () => {
    if (!fixture) return;
    const { target: started, tmp } = fixture;
    try {
      expectNoPlantedValue(logger.lines, seen, fixture);
    } finally {
      await started.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  return {
    logger,
    seen,
    base: (extra = {}) => ({
      address: target().url,
      auth: { method: 'token', token: target().rootToken },
      retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 5 },
      envFallback: false,
      ...extra,
    }),
    rejectionOf: async p => {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      seen.push(error);
      expect(error).toBeInstanceOf(VaultConfigError);
      return error as VaultConfigError;
    },
  };
}

/** No canary, AppRole credential or token in any log line or rendering of an error/snapshot. */
function expectNoPlantedValue(lines: string[], seen: unknown[], fixture: LoaderFixture): void {
  const texts = [
    ...lines,
    ...seen.flatMap(x => [
      String((x as Error)?.message ?? ''),
      String((x as Error)?.stack ?? ''),
      inspect(x, { depth: 10, showHidden: true }),
      JSON.stringify(x) ?? '',
      String(x),
    ]),
  ];
  const planted = [
    ...Object.values(CANARY),
    fixture.roleId,
    fixture.secretId,
    fixture.leastPrivilegeToken,
  ];
  for (const value of planted) for (const text of texts) expect(text).not.toContain(value);
}

async function startLoaderFixture(kind: TargetKind): Promise<LoaderFixture> {
  const target = await startTarget(kind);
  const tmp = mkdtempSync(join(tmpdir(), 'vault-loader-'));
  try {
    return { target, tmp, ...(await seed(target)) };
  } catch (err) {
    await target.stop();
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function seed(target: VaultTarget): Promise<Omit<LoaderFixture, 'target' | 'tmp'>> {
  type Answer = { data?: Record<string, unknown>; auth?: { client_token: string } };
  const ok = async (method: string, path: string, body?: unknown, h?: Record<string, string>) =>
    (await rootCall(target, method, path, body, h)) as Answer;
  await ok('POST', 'sys/mounts/legacy', { type: 'kv', options: { version: '1' } });
  await ok('POST', 'secret/data/shared', {
    data: JSON.parse(
      '{"LOG_LEVEL":"debug","OVERRIDE_ME":"from-shared","NUM":42,"BOOL":true,"OBJ":{"a":[1,2]},' +
        '"NUL":null,"__proto__":{"polluted":"yes"},"constructor":"ctor","a.b":"dotted"}',
    ) as unknown,
  });
  // Two versions, so the app secret's metadata says version 2.
  for (let i = 0; i < 2; i++) {
    await ok('POST', 'secret/data/apps/billing/test', {
      data: {
        DATABASE_URL: `postgres://u:${CANARY.db}@db:5432/x`,
        OVERRIDE_ME: 'from-app',
        JWT_SECRET: CANARY.jwt,
      },
    });
  }
  await ok('PUT', 'legacy/billing', { SMTP_PASSWORD: CANARY.smtp, OVERRIDE_ME: 'from-legacy' });
  await ok('PUT', 'sys/policies/acl/billing-read', {
    policy:
      'path "secret/data/shared" { capabilities = ["read"] }\n' +
      'path "secret/data/apps/billing/*" { capabilities = ["read"] }\n' +
      'path "legacy/billing" { capabilities = ["read"] }\n',
  });
  const created = await ok('POST', 'auth/token/create', { policies: ['billing-read'] });
  const leastPrivilegeToken = created.auth!.client_token;
  await ok('POST', 'sys/auth/approle', { type: 'approle' });
  await ok('POST', 'auth/approle/role/billing', {
    token_policies: ['billing-read'],
    token_ttl: '1h',
  });
  const roleId = (await ok('GET', 'auth/approle/role/billing/role-id')).data!.role_id as string;
  const secretId = (await ok('POST', 'auth/approle/role/billing/secret-id', {})).data!
    .secret_id as string;
  let namespaceSupported = false;
  const ns = await vaultRequest(target, 'POST', 'sys/namespaces/team-a');
  if (ns.status < 300) {
    const h = { 'X-Vault-Namespace': 'team-a' };
    await ok('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } }, h);
    await ok('POST', 'secret/data/app', { data: { NS_SECRET: CANARY.ns } }, h);
    namespaceSupported = true;
  }
  return { leastPrivilegeToken, roleId, secretId, namespaceSupported };
}
