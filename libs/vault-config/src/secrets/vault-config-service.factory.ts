import { inspect } from 'node:util';
import { ConfigService } from '@nestjs/config';
import type { SecretSnapshot } from '../public-api.js';

/**
 * `ConfigService` keeps its values in plain own properties, so `util.inspect` or `JSON.stringify`
 * of the service would print every secret; this subclass prints a summary instead and is
 * otherwise the unchanged `@nestjs/config` service.
 */
class RedactedConfigService extends ConfigService {
  private readonly redactedLabel: string;

  constructor(values: Record<string, unknown>, keyCount: number) {
    super(values);
    this.redactedLabel = `ConfigService [${keyCount} keys from nestjs-vault-config, values redacted]`;
  }

  [inspect.custom](): string {
    return this.redactedLabel;
  }

  toJSON(): string {
    return this.redactedLabel;
  }

  override toString(): string {
    return this.redactedLabel;
  }
}

/** A `ConfigService` whose internal config is a copy of the snapshot's values. @internal */
export function createVaultConfigService(snapshot: SecretSnapshot): ConfigService {
  return new RedactedConfigService(snapshot.toConfigObject(), snapshot.keys().length);
}
