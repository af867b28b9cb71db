import { PolicyParseError } from '../policy/index.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import type { Namespace } from '../state/namespace.js';

/** `sys/policies/acl[/<name>]` and the legacy `sys/policy[/<name>]`. */
export function policyRoutes(req: CoreRequest, path: string): VaultResult | undefined {
  const op = req.operation;
  if (path === 'policies/acl' || path === 'policies/acl/') {
    if (op !== 'list') throw VaultHttpError.unsupportedOperation();
    return { data: { keys: policyNames(req.namespace) } };
  }
  if (path.startsWith('policies/acl/'))
    return policy(req, path.slice('policies/acl/'.length), false);
  if (path === 'policy') {
    if (op !== 'read') throw VaultHttpError.unsupportedOperation();
    const names = policyNames(req.namespace);
    return { data: { keys: names, policies: names }, mergeTopLevel: true };
  }
  if (path.startsWith('policy/')) return policy(req, path.slice('policy/'.length), true);
  return undefined;
}

function policy(req: CoreRequest, rawName: string, legacy: boolean): VaultResult {
  const { core, namespace: ns, operation: op } = req;
  const name = rawName.replace(/\/$/, '').toLowerCase();
  if (name === '') throw VaultHttpError.unsupportedOperation();
  if (op === 'read') {
    if (name === 'root') {
      return legacy
        ? { data: { name, rules: '' }, mergeTopLevel: true }
        : { data: { name, policy: '' } };
    }
    const policy = ns.policies.get(name);
    if (!policy) throw VaultHttpError.notFound();
    return legacy
      ? { data: { name, rules: policy.raw }, mergeTopLevel: true }
      : { data: { name, policy: policy.raw } };
  }
  if (op === 'create' || op === 'update') {
    const text = req.body.policy ?? (legacy ? req.body.rules : undefined);
    if (typeof text !== 'string' || text.trim() === '') {
      throw VaultHttpError.badRequest("'policy' parameter not supplied or empty");
    }
    try {
      core.setPolicy(ns, name, text);
    } catch (err) {
      if (err instanceof PolicyParseError) throw VaultHttpError.badRequest(err.message);
      throw err;
    }
    return NO_CONTENT;
  }
  if (op === 'delete') {
    core.deletePolicy(ns, name);
    return NO_CONTENT;
  }
  throw VaultHttpError.unsupportedOperation();
}

function policyNames(ns: Namespace): string[] {
  const names = new Set([...ns.policies.keys()]);
  if (ns.isRoot) names.add('root');
  return [...names].sort();
}
