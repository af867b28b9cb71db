import { createHash } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SecretsService } from 'nestjs-vault-config';
import { TransitService } from 'nestjs-vault-config/transit';

/** Proves PACK_SECRET was loaded without returning it: its SHA-256, and a transit round trip. */
@Controller()
export class AppController {
  constructor(
    private readonly config: ConfigService,
    private readonly secrets: SecretsService,
    private readonly transit: TransitService,
  ) {}

  @Get('proof')
  proof() {
    const value = String(this.config.getOrThrow('PACK_SECRET'));
    return {
      sha256: createHash('sha256').update(value).digest('hex'),
      sameInSecretsService: this.secrets.get('PACK_SECRET') === value,
    };
  }

  @Get('transit-proof')
  async transitProof() {
    const value = String(this.config.getOrThrow('PACK_SECRET'));
    const ciphertext = await this.transit.encrypt('pack', value);
    const decrypted = await this.transit.decrypt('pack', ciphertext);
    return { roundTrip: decrypted.toString('utf8') === value };
  }
}
