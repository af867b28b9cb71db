/**
 * Shared by the module-auth-*.e2e-spec.ts suites: a Nest app logging in with one auth method,
 * what to look for in its logs, and the canary scan over every log line, health body and error.
 */
import { expect } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { expectNoCanary } from './canary.js';
import { bootHealthApp, getHealth } from './health-app.js';
import { sleep } from './lifecycle-support.js';
import { CapturingLogger, renderError } from './module-support.js';

/** Vault service tokens as the test server (`hvs.`) and OpenBao's dev server (`s.`) issue them. */
const TOKEN_LIKE = /\b(hvs|s)\.[A-Za-z0-9]{24}\b/;

/** A policy that reads `secret/data/<prefix>/*` (and its metadata), as HCL. */
export const readPolicyHcl = (prefix: string) =>
  `path "secret/data/${prefix}/*" { capabilities = ["read"] }\n` +
  `path "secret/metadata/${prefix}/*" { capabilities = ["read"] }\n`;

export class LoginSuite {
  readonly logger = new CapturingLogger();
  /** Health bodies and rendered errors, scanned with the log lines. */
  readonly outputs: string[] = [];
  private readonly apps: INestApplication[] = [];

  constructor(private readonly base: () => VaultConfigModuleSettings) {}

  async boot(settings: Partial<VaultConfigModuleSettings>): Promise<INestApplication> {
    const app = await bootHealthApp({ ...this.base(), ...settings }, this.logger);
    this.apps.push(app);
    return app;
  }

  /** The boot's rejection, every rendering of it kept for the scan. */
  async bootFailure(settings: Partial<VaultConfigModuleSettings>): Promise<Error> {
    const error = await this.boot(settings).then(
      () => new Error('the app booted'),
      (e: unknown) => e as Error,
    );
    this.outputs.push(...renderError(error));
    return error;
  }

  health(app: INestApplication) {
    return getHealth(app, this.outputs);
  }

  /** How many log lines match, from the line with index `from` on. */
  count(pattern: RegExp, from = 0): number {
    return this.logger.lines.slice(from).filter(l => pattern.test(l)).length;
  }

  /**
   * With token_ttl 4 s and token_max_ttl 6 s: after 7 s the app has renewed its token (at ~2.7 s,
   * capped by the max TTL), logged in again with `method` (at ~4.7 s), and still reads its secrets
   * and is healthy. (With 2 s / 3 s the renewal had 0.7 s of slack, which a loaded CI machine's
   * late timers ate: the token expired before it was renewed.)
   */
  async expectRenewalThenRelogin(
    app: INestApplication,
    method: string,
    key: string,
    value: string,
  ) {
    const from = this.logger.lines.length;
    await sleep(7000);
    const secrets = app.get(SecretsService);
    await expect(secrets.refresh()).resolves.toMatchObject({ changed: false });
    expect(secrets.get(key)).toBe(value);
    const health = await this.health(app);
    // toEqual prints the whole indicator (its message says why) when it is down.
    expect({ status: health.status, vault: health.body.details?.vault }).toEqual({
      status: 200,
      vault: expect.objectContaining({ status: 'up' }),
    });
    expect(this.count(/Vault token renewed \(TTL [1-4]s\)/, from)).toBeGreaterThanOrEqual(1);
    expect(
      this.count(new RegExp(`Vault token replaced by a new ${method} login`), from),
    ).toBeGreaterThanOrEqual(1);
    expect(this.count(/token renewal failed|^error /, from)).toBe(0);
  }

  /**
   * Closes every app, then: no canary and no token in any log line, health body or error. `cleanup` (stop the
   * server, remove files) runs whatever the scan finds, so a leak fails the suite, not the exit.
   */
  async finish(canaries: readonly string[], cleanup: () => Promise<void> | void): Promise<void> {
    try {
      for (const app of this.apps) await app.close().catch(() => undefined);
      expect(this.logger.lines.length).toBeGreaterThan(0);
      const printed = [...this.outputs, ...this.logger.lines];
      expectNoCanary(printed, canaries);
      // The tokens the module got are not known here: nothing shaped like one may be printed.
      expect(printed.filter(text => TOKEN_LIKE.test(text))).toEqual([]);
    } finally {
      await cleanup();
    }
  }
}
