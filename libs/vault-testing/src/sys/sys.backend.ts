import { VaultHttpError } from '../http/vault-http.error.js';
import type { VaultResult } from '../http/vault-result.interface.js';
import type { Operation, SecretEngine } from '../engines/secret-engine.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import { capabilitiesRoute } from './capabilities.routes.js';
import { mountRoutes } from './mounts.routes.js';
import { policyRoutes } from './policies.routes.js';
import { sealRoutes } from './seal.routes.js';
import { uiMountRoutes } from './ui-mounts.routes.js';

const UNAUTHENTICATED = [
  /^health$/,
  /^seal-status$/,
  /^unseal$/,
  /^leader$/,
  /^init$/,
  /^internal\/ui\/mounts(\/.*)?$/,
];
const SUDO = [
  /^seal$/,
  /^auth\/.+/,
  /^audit$/,
  /^audit\/.+/,
  /^rotate$/,
  /^raw(\/.*)?$/,
  /^leases\/lookup\/.*/,
  /^(leases\/)?revoke-(prefix|force)\/.*/,
  /^step-down$/,
];

export type SysRoute = (
  req: CoreRequest,
  rest: string,
) => VaultResult | Promise<VaultResult> | undefined;

/** The built-in routes, tried in order; each answers its own paths and passes on the rest. */
const BUILT_IN: ReadonlyArray<(req: CoreRequest, path: string) => VaultResult | undefined> = [
  sealRoutes,
  mountRoutes,
  uiMountRoutes,
  capabilitiesRoute,
  policyRoutes,
];

/** The `sys/` backend. Feature routes (namespaces, leases, audit) plug in with `addRoute`. */
export class SysBackend implements SecretEngine<CoreRequest> {
  private readonly extraRoutes: Array<{ prefix: string; route: SysRoute }> = [];
  private readonly extraUnauthenticated: RegExp[] = [];
  private readonly extraSudo: RegExp[] = [];

  addRoute(
    prefix: string,
    route: SysRoute,
    options: { sudo?: RegExp[]; unauthenticated?: RegExp[] } = {},
  ) {
    this.extraRoutes.push({ prefix, route });
    this.extraSudo.push(...(options.sudo ?? []));
    this.extraUnauthenticated.push(...(options.unauthenticated ?? []));
  }

  isUnauthenticated(path: string): boolean {
    return [...UNAUTHENTICATED, ...this.extraUnauthenticated].some(re => re.test(path));
  }

  needsSudo(path: string, _operation: Operation): boolean {
    return [...SUDO, ...this.extraSudo].some(re => re.test(path));
  }

  async handle(req: CoreRequest): Promise<VaultResult> {
    const path = req.path;
    for (const route of BUILT_IN) {
      const result = route(req, path);
      if (result) return result;
    }
    for (const { prefix, route } of this.extraRoutes) {
      if (
        path === prefix ||
        path.startsWith(`${prefix}/`) ||
        (prefix.endsWith('/') && path.startsWith(prefix))
      ) {
        const result = await route(req, path);
        if (result) return result;
      }
    }
    throw VaultHttpError.unsupportedPath();
  }
}
