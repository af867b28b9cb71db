import { createHash } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';
import { TransitService } from 'nestjs-vault-config/transit';

@Controller('health')
class HealthController {
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

/** Proves PACK_SECRET was loaded without returning it: its SHA-256 and where it came from. */
@Controller('proof')
class ProofController {
  constructor(
    private readonly secrets: SecretsService,
    private readonly config: ConfigService,
  ) {}

  @Get()
  proof() {
    const value = String(this.config.getOrThrow('PACK_SECRET'));
    return {
      sha256: createHash('sha256').update(value).digest('hex'),
      sameInSecretsService: this.secrets.get('PACK_SECRET') === value,
      source: this.secrets.describe().find(d => d.key === 'PACK_SECRET'),
    };
  }
}

/**
 * TransitService from the tarball: encrypts PACK_SECRET with the `pack` key and decrypts it again,
 * proving the round trip without returning the secret or its ciphertext.
 */
@Controller('transit-proof')
class TransitProofController {
  constructor(
    private readonly transit: TransitService,
    private readonly config: ConfigService,
  ) {}

  @Get()
  async proof() {
    const value = String(this.config.getOrThrow('PACK_SECRET'));
    const ciphertext = await this.transit.encrypt('pack', value);
    const decrypted = await this.transit.decrypt('pack', ciphertext);
    return {
      roundTrip: decrypted.toString('utf8') === value,
      keyVersion: /^vault:v(\d+):/.exec(ciphertext)?.[1],
      ciphertextHidesValue: !ciphertext.includes(value),
    };
  }
}

@Module({
  imports: [
    VaultConfigModule.forRoot({
      isGlobal: true,
      address: process.env.VAULT_ADDR,
      // JWT auth when the deployment hands out a JWT (a CI runner, a projected token), else AppRole.
      auth: process.env.VAULT_JWT_FILE
        ? { method: 'jwt', role: 'pack', jwtFile: process.env.VAULT_JWT_FILE }
        : {
            method: 'approle',
            roleId: process.env.VAULT_ROLE_ID ?? '',
            secretId: process.env.VAULT_SECRET_ID ?? '',
          },
      sources: [{ mount: 'secret', path: 'pack/app' }],
      required: ['PACK_SECRET'],
      refresh: { intervalMs: 300 },
      revokeOnShutdown: true,
    }),
    TerminusModule,
  ],
  controllers: [HealthController, ProofController, TransitProofController],
  providers: [VaultHealthIndicator, TransitService],
})
export class AppModule {}
