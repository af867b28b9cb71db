import type { VaultTestCloudOptions } from '../../interfaces/vault-test-cloud-options.interface.js';
import type { EngineRegistry } from '../../state/engine-registry.js';
import { AwsAuthBackend } from './aws.backend.js';
import { AzureAuthBackend } from './azure.backend.js';
import { GcpAuthBackend } from './gcp.backend.js';

/** Registers the `aws`, `gcp` and `azure` auth methods (OpenBao has none of them). */
export function installCloudAuth(engines: EngineRegistry, cloud: VaultTestCloudOptions = {}): void {
  engines.authFactories.set('aws', () => new AwsAuthBackend());
  engines.authFactories.set('gcp', () => new GcpAuthBackend());
  engines.authFactories.set('azure', () => new AzureAuthBackend(cloud.azureAuthorityHost));
}
