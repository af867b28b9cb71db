/**
 * The app of the failover suites: VaultConfigModule on several addresses, Terminus `/health`, and
 * `GET /secret`, which reads the secret `K` on every request and answers a digest of it (the value
 * itself never crosses HTTP, so it can stay a canary). A poller hits `/secret` on a fixed period and
 * records every answer, to prove no read failed while a node went away.
 */
import { createHash } from 'node:crypto';
import { Controller, Get, type INestApplication, type LoggerService } from '@nestjs/common';
import { SecretsService, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { bootHealthApp } from './health-app.js';

export const digest = (value: string): string =>
  createHash('sha256').update(value).digest('hex').slice(0, 16);

@Controller('secret')
class SecretController {
  constructor(private readonly secrets: SecretsService) {}

  @Get()
  read(): { digest: string } {
    return { digest: digest(this.secrets.getOrThrow('K')) };
  }
}

export function bootFailoverApp(
  settings: VaultConfigModuleSettings,
  logger: LoggerService,
): Promise<INestApplication> {
  return bootHealthApp(settings, logger, [], [SecretController]);
}

export interface PolledRead {
  /** ms since the poller started */
  readonly at: number;
  /** HTTP status, or 0 when the request itself failed */
  readonly status: number;
  readonly digest?: string;
}

/** GET /secret every `everyMs` until stop(); one request at a time, each answer recorded. */
export function pollSecret(app: INestApplication, everyMs: number) {
  const reads: PolledRead[] = [];
  const started = Date.now();
  let stopped = false;
  const loop = (async () => {
    const url = `${await app.getUrl()}/secret`;
    while (!stopped) {
      const at = Date.now() - started;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        const body = (await res.json()) as { digest?: string };
        reads.push({ at, status: res.status, ...(body.digest ? { digest: body.digest } : {}) });
      } catch {
        reads.push({ at, status: 0 });
      }
      await new Promise(r => setTimeout(r, Math.max(0, everyMs - (Date.now() - started - at))));
    }
  })();
  return {
    reads,
    started,
    /** Resolves with the first time (Date.now()) a read answered `wanted`, polling until `timeoutMs`. */
    async firstServed(wanted: string, timeoutMs: number): Promise<number | undefined> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = reads.find(r => r.digest === wanted);
        if (hit) return started + hit.at;
        if (Date.now() > deadline) return undefined;
        await new Promise(r => setTimeout(r, 10));
      }
    },
    async stop(): Promise<PolledRead[]> {
      stopped = true;
      await loop;
      return reads;
    },
  };
}
