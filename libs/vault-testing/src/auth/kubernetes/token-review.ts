import { VaultHttpError } from '../../http/vault-http.error.js';
import { isPlainObject } from '../../util/safe-object.js';
import { outbound } from '../cloud/outbound-http.js';
import type { ServiceAccount } from './service-account-jwt.js';

export interface TokenReviewRequest {
  /** `kubernetes_host`. */
  host: string;
  /** `kubernetes_ca_cert`, when set: the only CA the API server's certificate may chain to. */
  caCert?: string;
  /** `token_reviewer_jwt`, or (unset) the login JWT itself, as Vault does. */
  bearer: string;
  jwt: string;
  /**
   * `spec.audiences`: the role's audience, else the JWT's own `aud`; the answer's
   * `status.audiences` must hold one of them.
   */
  audiences: readonly string[];
}

const PATH = '/apis/authentication.k8s.io/v1/tokenreviews';
const denied = () => new VaultHttpError(403, ['permission denied']);

/**
 * Asks the API server whether `jwt` is a live token of `expected`, as Vault's kubernetes plugin
 * does (token_review.go): `POST /apis/authentication.k8s.io/v1/tokenreviews`. Whatever goes wrong
 * (API server unreachable, reviewer refused, not authenticated, another user or uid, none of the
 * asked audiences in the answer) the client gets OpenBao's bare 403 `permission denied`.
 */
export async function reviewToken(
  req: TokenReviewRequest,
  expected: ServiceAccount,
): Promise<void> {
  const body = JSON.stringify({
    kind: 'TokenReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: {},
    spec: { token: req.jwt, ...(req.audiences.length ? { audiences: req.audiences } : {}) },
  });
  let review: unknown;
  try {
    const answer = await outbound(`${req.host.replace(/\/+$/, '')}${PATH}`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${req.bearer}`,
        'content-type': 'application/json',
      },
      body,
      ca: req.caCert,
    });
    if (answer.status !== 200 && answer.status !== 201) throw denied();
    review = JSON.parse(answer.text);
  } catch {
    throw denied();
  }
  const status = isPlainObject(review) && isPlainObject(review.status) ? review.status : {};
  if (status.authenticated !== true) throw denied();
  const user = isPlainObject(status.user) ? status.user : {};
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(
    typeof user.username === 'string' ? user.username : '',
  );
  if (!m || m[1] !== expected.namespace || m[2] !== expected.name) throw denied();
  if (expected.uid && typeof user.uid === 'string' && user.uid !== expected.uid) throw denied();
  const granted: unknown[] = Array.isArray(status.audiences) ? status.audiences : [];
  if (req.audiences.length && !req.audiences.some(a => granted.includes(a))) throw denied();
}
