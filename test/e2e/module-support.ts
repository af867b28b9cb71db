/** Helpers shared by the module-*.e2e-spec.ts suites (Nest layer of nestjs-vault-config). */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { expect } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { vaultRequest, type VaultTarget } from '../support/vault-target.js';

/** A value that must never show up in any output. */
export const canary = (label: string): string =>
  `canary-${label}-${randomBytes(6).toString('hex')}`;

/** Writes a KV v2 secret under the default `secret/` mount as root. */
export async function writeKv2(
  target: VaultTarget,
  path: string,
  data: Record<string, string>,
): Promise<void> {
  const res = await vaultRequest(target, 'POST', `secret/data/${path}`, { data });
  if (res.status !== 200 && res.status !== 204) {
    throw new Error(`seeding secret/${path} failed with ${res.status}`);
  }
}

/** A Nest logger that keeps every line it is given, objects rendered as `util.inspect` would. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  /** When each line was logged (Date.now()), index for index with `lines`. */
  readonly times: number[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('verbose', message, rest);
  }

  private keep(level: string, message: unknown, rest: unknown[]): void {
    const render = (v: unknown) => (typeof v === 'string' ? v : inspect(v, { depth: 10 }));
    this.lines.push(`${level} ${[message, ...rest].map(render).join(' ')}`);
    this.times.push(Date.now());
  }
}

/** Every way an error can be printed or shipped. */
export function renderError(err: unknown): string[] {
  const e = err as Error;
  return [String(e?.message), String(e?.stack), inspect(err, { depth: 10 }), JSON.stringify(err)];
}

export function expectNoCanary(texts: readonly string[], canaries: readonly string[]): void {
  for (const text of texts) {
    for (const c of canaries) expect(text).not.toContain(c);
  }
}
