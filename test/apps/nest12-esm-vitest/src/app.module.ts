import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { VaultConfigModule } from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';
import { TransitService } from 'nestjs-vault-config/transit';
import { AppController } from './app.controller.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [
    VaultConfigModule.forRoot({
      isGlobal: true,
      address: process.env.VAULT_ADDR,
      auth: {
        method: 'approle',
        roleId: process.env.VAULT_ROLE_ID ?? '',
        secretId: process.env.VAULT_SECRET_ID ?? '',
      },
      sources: [{ mount: 'secret', path: 'pack/app' }],
      required: ['PACK_SECRET'],
      defaults: { PORT: 3000 },
      revokeOnShutdown: true,
    }),
    TerminusModule,
  ],
  controllers: [AppController, HealthController],
  providers: [VaultHealthIndicator, TransitService],
})
export class AppModule {}
