import { Controller, Get } from '@nestjs/common';
import { SecretsService, type SecretDescription } from 'nestjs-vault-config';

export interface ConfigReport {
  mode: string;
  authMethod: string;
  keys: SecretDescription[];
}

/** Which keys are configured and where each came from — never a value. */
@Controller('config')
export class ConfigController {
  constructor(private readonly secrets: SecretsService) {}

  @Get()
  report(): ConfigReport {
    const { mode, authMethod } = this.secrets.summary;
    return { mode, authMethod, keys: this.secrets.describe() };
  }
}
