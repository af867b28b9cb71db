import type { EngineRequest, SecretEngine } from '../../engines/secret-engine.interface.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { azureLogin } from './azure-login.js';
import { describeAzureRole, writeAzureRole, type AzureRole } from './azure-role.js';
import { crudRoutes } from './role-routes.js';

const FIELDS = ['tenant_id', 'resource', 'environment', 'client_id', 'client_secret'] as const;
export const DEFAULT_AZURE_AUTHORITY_HOST = 'https://login.microsoftonline.com/';

/**
 * The `azure` auth method as Vault's plugin serves it: `config`, `role/<name>` and `login`, which
 * verifies the access token against the tenant's OpenID configuration (at `authorityHost`, Entra
 * ID unless the server is started with another) and checks the role's bindings.
 */
export class AzureAuthBackend implements SecretEngine {
  private readonly roles = new Map<string, AzureRole>();
  private config: Record<string, string> = {};

  constructor(private readonly authorityHost = DEFAULT_AZURE_AUTHORITY_HOST) {}

  isUnauthenticated(path: string): boolean {
    return path === 'login';
  }

  exists(req: EngineRequest): boolean {
    const m = /^role\/([^/]+)$/.exec(req.path);
    return m ? this.roles.has(m[1].toLowerCase()) : true;
  }

  async handle(req: EngineRequest): Promise<VaultResult> {
    const path = req.path.replace(/\/$/, '');
    const write = req.operation === 'create' || req.operation === 'update';
    if (path === 'login') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      return azureLogin(req, this.roles, {
        authorityHost: this.authorityHost.endsWith('/')
          ? this.authorityHost
          : `${this.authorityHost}/`,
        ...(this.config.tenant_id ? { tenantId: this.config.tenant_id } : {}),
        ...(this.config.resource ? { resource: this.config.resource } : {}),
      });
    }
    if (path === 'config') {
      if (req.operation === 'read') {
        const { client_secret: _secret, ...shown } = this.config;
        return { data: { environment: '', ...shown } };
      }
      if (req.operation === 'delete') {
        this.config = {};
        return NO_CONTENT;
      }
      if (!write) throw VaultHttpError.unsupportedOperation();
      this.config = writeConfig(req.body, this.config);
      return NO_CONTENT;
    }
    return crudRoutes(req, path, this.roles, writeAzureRole, describeAzureRole);
  }
}

function writeConfig(body: SafeRecord, current: Record<string, string>): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const key of FIELDS) if (typeof body[key] === 'string') next[key] = body[key];
  if (
    next.environment &&
    !['AZUREPUBLICCLOUD', 'AZURECHINACLOUD', 'AZUREUSGOVERNMENTCLOUD'].includes(
      next.environment.toUpperCase(),
    )
  ) {
    throw VaultHttpError.badRequest(
      `err: no cloud configuration matching the name "${next.environment.toUpperCase().slice(0, 40)}"`,
    );
  }
  return next;
}
