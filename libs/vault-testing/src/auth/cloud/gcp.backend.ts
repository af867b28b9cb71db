import type { EngineRequest, SecretEngine } from '../../engines/secret-engine.interface.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import { isPlainObject, type SafeRecord } from '../../util/safe-object.js';
import { gcpLogin } from './gcp-login.js';
import { describeGcpRole, writeGcpRole, type GcpRole } from './gcp-role.js';
import type { GoogleEndpoints } from './google-apis.js';
import { crudRoutes } from './role-routes.js';

interface GcpConfig {
  credentials: string;
  serviceAccountEmail: string;
  customEndpoint: Record<string, string>;
}

/**
 * The `gcp` auth method as Vault's plugin serves it: `config` (with `custom_endpoint` for the
 * Google API addresses), `role/<name>` of type iam or gce, and `login`. Google's APIs are reached
 * over HTTP at the configured endpoints; the Compute and Resource Manager APIs are not played
 * (instance groups, labels and group aliases are refused).
 */
export class GcpAuthBackend implements SecretEngine {
  private readonly roles = new Map<string, GcpRole>();
  private config: GcpConfig = { credentials: '', serviceAccountEmail: '', customEndpoint: {} };

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
      const endpoints: GoogleEndpoints = {
        ...(this.config.customEndpoint.api ? { api: this.config.customEndpoint.api } : {}),
        ...(this.config.customEndpoint.iam ? { iam: this.config.customEndpoint.iam } : {}),
      };
      return gcpLogin(req, this.roles, endpoints);
    }
    if (path === 'config') {
      if (req.operation === 'read') return { data: this.describeConfig() };
      if (!write) throw VaultHttpError.unsupportedOperation();
      this.config = writeConfig(req.body, this.config);
      return NO_CONTENT;
    }
    return crudRoutes(req, path, this.roles, writeGcpRole, describeGcpRole);
  }

  private describeConfig() {
    return {
      custom_endpoint: { ...this.config.customEndpoint },
      gce_alias: 'role_id',
      gce_metadata: [
        'instance_creation_timestamp',
        'instance_id',
        'instance_name',
        'project_id',
        'project_number',
        'role',
        'service_account_email',
        'service_account_id',
        'zone',
      ],
      iam_alias: 'role_id',
      iam_metadata: ['project_id', 'role', 'service_account_email', 'service_account_id'],
      service_account_email: this.config.serviceAccountEmail,
    };
  }
}

const ENDPOINT_KEYS = ['api', 'iam', 'crm', 'compute'];

function writeConfig(body: SafeRecord, current: GcpConfig): GcpConfig {
  let credentials = current.credentials;
  if (typeof body.credentials === 'string' && body.credentials !== '') {
    try {
      JSON.parse(body.credentials);
    } catch {
      throw VaultHttpError.badRequest(
        'error reading google credentials from given JSON: invalid JSON',
      );
    }
    credentials = body.credentials;
  }
  let customEndpoint = current.customEndpoint;
  if (body.custom_endpoint !== undefined) {
    const raw = body.custom_endpoint;
    if (!isPlainObject(raw)) throw VaultHttpError.badRequest('custom_endpoint must be a map');
    customEndpoint = {};
    for (const [k, v] of Object.entries(raw)) {
      if (!ENDPOINT_KEYS.includes(k)) {
        throw VaultHttpError.badRequest(`invalid custom_endpoint key "${k.slice(0, 32)}"`);
      }
      if (typeof v !== 'string' || !/^https?:\/\/[^/]+/.test(v)) {
        throw VaultHttpError.badRequest(`invalid custom_endpoint.${k}: must be a URL`);
      }
      customEndpoint[k] = v;
    }
  }
  return {
    credentials,
    serviceAccountEmail:
      typeof body.service_account_email === 'string'
        ? body.service_account_email
        : current.serviceAccountEmail,
    customEndpoint,
  };
}
