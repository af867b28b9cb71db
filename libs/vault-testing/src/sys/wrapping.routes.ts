import { VaultHttpError } from '../http/vault-http.error.js';
import { wrapTtlOf } from '../http/response-wrapping.js';
import { tokenFrom } from '../http/token-header.js';
import type { VaultResult } from '../http/vault-result.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import { rfc3339 } from '../util/duration.js';
import { newUuid } from '../util/ids.js';
import { safeRecord } from '../util/safe-object.js';

const NOT_VALID = 'wrapping token is not valid or does not exist';
const EMPTY = 'error validating wrapping token: token is empty';

/** No token needed on these: the wrapping token is the credential (Vault's special paths). */
export const WRAPPING_UNAUTHENTICATED = [/^wrapping\/(lookup|unwrap)$/];

const given = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * `sys/wrapping/{lookup,unwrap,wrap}`. Unwrap takes the wrapping token as the request's token; a
 * `token` in the body instead needs an authenticated caller allowed to unwrap (the default policy
 * is). A used, expired or unknown wrapping token answers 400 "wrapping token is not valid or does
 * not exist".
 */
export function wrappingRoute(req: CoreRequest, path: string): VaultResult | undefined {
  const write = req.operation === 'create' || req.operation === 'update';
  const store = req.core.wrapping;
  if (path === 'wrapping/lookup') {
    const id = given(req.body.token) ?? given(req.query.get('token')) ?? tokenFrom(req.headers);
    if (!id) throw new VaultHttpError(403, [EMPTY]);
    const entry = store.peek(id);
    if (!entry) throw VaultHttpError.badRequest(NOT_VALID);
    return {
      data: {
        creation_path: entry.creationPath,
        creation_time: rfc3339(entry.creationTime),
        creation_ttl: entry.ttl,
      },
    };
  }
  if (path === 'wrapping/unwrap') {
    if (!write) throw VaultHttpError.unsupportedOperation();
    const inBody = given(req.body.token);
    if (inBody !== undefined) {
      if (!req.token || !req.acl) throw VaultHttpError.invalidToken();
      if (!req.acl.allows('sys/wrapping/unwrap', 'update')) throw VaultHttpError.denied();
    }
    const id = inBody ?? tokenFrom(req.headers);
    if (!id) throw new VaultHttpError(403, [EMPTY]);
    const entry = store.take(id);
    if (!entry) throw VaultHttpError.badRequest(NOT_VALID);
    return { raw: { ...entry.envelope, request_id: newUuid() } };
  }
  if (path === 'wrapping/wrap') {
    if (!write) throw VaultHttpError.unsupportedOperation();
    if (!wrapTtlOf(req.headers)) {
      throw VaultHttpError.badRequest('endpoint requires response wrapping to be used');
    }
    const data = safeRecord();
    Object.assign(data, req.body);
    return { data, envelope: true };
  }
  return undefined;
}
