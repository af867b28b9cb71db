/** A Nest app with VaultConfigModule and a Terminus `/health` using VaultHealthIndicator, over HTTP. */
import {
  Controller,
  Get,
  type INestApplication,
  type LoggerService,
  type Provider,
  type Type,
} from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { VaultConfigModule, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';

@Controller('health')
class VaultHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly vault: VaultHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.vault.isHealthy('vault')]);
  }
}

/** Terminus's body; `details` holds the indicator's answer whether up or down. */
export interface HealthBody {
  status: string;
  info: Record<string, Record<string, unknown>>;
  error: Record<string, Record<string, unknown>>;
  details: Record<string, Record<string, unknown>>;
}

/** Boots and listens on an ephemeral loopback port; the caller closes it. */
export async function bootHealthApp(
  settings: VaultConfigModuleSettings,
  logger: LoggerService,
  providers: Provider[] = [],
  controllers: Type[] = [],
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [VaultConfigModule.forRoot(settings), TerminusModule],
    controllers: [VaultHealthController, ...controllers],
    providers: [VaultHealthIndicator, ...providers],
  })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication({ logger });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** GET /health; the raw body is kept in `bodies` for the canary scan. */
export async function getHealth(
  app: INestApplication,
  bodies: string[],
): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(`${await app.getUrl()}/health`);
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: JSON.parse(text) as HealthBody };
}
