/** Helpers shared by the cli-*.e2e-spec.ts suites: run `vault-config` in-process, capture output. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from '@jest/globals';
import type { ProcessUser } from '../../libs/vault-config/src/cli/env-file/file-owner.js';
import { runCli } from '../../libs/vault-config/src/cli/run-cli.js';
import { expectNoCanary } from './canary.js';
import { vaultRequest, type VaultTarget } from './vault-target.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Default null: no terminal, so writing needs --yes. */
  readonly prompt?: ((question: string) => Promise<string>) | null;
  readonly now?: () => Date;
  /** Who the CLI believes runs it (default: this process's user). */
  readonly user?: ProcessUser;
}

/** Every stdout/stderr text any CLI run of this test file produced, for the canary checks. */
export const allCliOutput: string[] = [];

export async function cli(argv: string[], options: CliRunOptions): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: options.env,
    cwd: options.cwd,
    stdout: { write: s => (stdout += s) },
    stderr: { write: s => (stderr += s) },
    prompt: options.prompt === undefined ? null : options.prompt,
    ...(options.now ? { now: options.now } : {}),
    ...(options.user ? { user: options.user } : {}),
  });
  allCliOutput.push(stdout, stderr);
  return { code, stdout, stderr };
}

/**
 * The values and tokens a CLI suite plants. After the file's tests nothing any run printed — plans,
 * results, JSON, errors — may hold one of them.
 */
export function plantedInCliOutput(): { canaries: string[]; tokens: string[] } {
  const planted = { canaries: [] as string[], tokens: [] as string[] };
  afterAll(() => {
    expect(allCliOutput.length).toBeGreaterThan(0);
    expectNoCanary(allCliOutput, [...planted.canaries, ...planted.tokens]);
  });
  return planted;
}

/** A fresh directory for one test; `cleanup()` removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vault-config-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A secret path no other test uses. */
export const uniquePath = (label: string): string =>
  `cli-tests/${label}-${randomBytes(4).toString('hex')}`;

/** The latest KV v2 version of `secret/<path>` as root: data and version, or the 404. */
export async function readKv2(
  target: VaultTarget,
  path: string,
): Promise<{ status: number; data?: Record<string, unknown>; version?: number }> {
  const res = await vaultRequest(target, 'GET', `secret/data/${path}`);
  const body = res.body as {
    data?: { data?: Record<string, unknown>; metadata?: { version?: number } };
  };
  return {
    status: res.status,
    ...(res.status === 200 ? { data: body.data?.data ?? {} } : {}),
    ...(body?.data?.metadata?.version !== undefined ? { version: body.data.metadata.version } : {}),
  };
}

/**
 * Characters a terminal acts on: C0 controls but the line feed, DEL, C1 controls, the line and
 * paragraph separators and bidi controls. CLI output must hold none of them.
 */
export const TERMINAL_UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/;
