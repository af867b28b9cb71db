import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { VaultConfigModule, type VaultConfigOptions } from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';
import { ConfigChangesListener } from './config/config-changes.listener.js';
import { ConfigController } from './config/config.controller.js';
import { HealthController } from './health/health.controller.js';
import { ShutdownHook, SHUTDOWN_CALLBACK } from './shutdown.hook.js';
import { TokenController } from './token/token.controller.js';
import { TokenService } from './token/token.service.js';

export interface DemoAppOptions {
  vault: VaultConfigOptions;
  /** Runs when the app shuts down, e.g. to stop the embedded Vault test server. */
  onShutdown?: () => Promise<void> | void;
}

@Module({})
export class AppModule {
  static register({ vault, onShutdown }: DemoAppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [VaultConfigModule.forRoot({ ...vault, isGlobal: true }), TerminusModule],
      controllers: [HealthController, ConfigController, TokenController],
      providers: [
        VaultHealthIndicator,
        TokenService,
        ConfigChangesListener,
        ShutdownHook,
        { provide: SHUTDOWN_CALLBACK, useValue: onShutdown ?? (() => undefined) },
      ],
    };
  }
}
