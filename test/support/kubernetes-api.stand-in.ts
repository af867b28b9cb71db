/**
 * A Kubernetes API server on 127.0.0.1 (https, the test/fixtures/tls certificate) that answers
 * what Vault's kubernetes auth asks of it: `POST /apis/authentication.k8s.io/v1/tokenreviews`.
 * It issues service account tokens signed with its own key, and reviews them as the API server
 * does: the signature, `exp`, a service account that still exists, the requested audiences (the API
 * server's own when none are asked for). The reviewer must present a token of a service account
 * allowed to create TokenReviews (system:auth-delegator); others get 401 or 403.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { newSigningKey, signJwt, verifiedClaims } from './cloud/test-jwt.js';
import { TLS_FIXTURES } from './tls-target.js';

/** What the API server's tokens carry when no audience is asked for, and what it accepts then. */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface ServiceAccountTokenOptions extends ServiceAccountRef {
  /** Default [API_AUDIENCE]. */
  readonly audiences?: readonly string[];
  /** Seconds from now; default 3600. Negative: already expired. */
  readonly expiresInS?: number;
}

export interface TokenReviewCall {
  readonly authorization: string | undefined;
  readonly body: { spec?: { token?: string; audiences?: string[] } };
}

interface ReviewStatus {
  authenticated: boolean;
  user: { username?: string; uid?: string; groups?: string[] };
  audiences?: string[];
  error?: string;
}

export class KubernetesApiStandIn {
  private readonly key = newSigningKey();
  private readonly uids = new Map<string, string>();
  private readonly delegators = new Set<string>();
  /** Every TokenReview asked for, in order. */
  readonly reviews: TokenReviewCall[] = [];
  /** The CA of the API server's certificate: Vault's `kubernetes_ca_cert`. */
  readonly caCert = readFileSync(join(TLS_FIXTURES, 'ca.pem'), 'utf8');
  /** A token of `kube-system/vault-auth`, which may create TokenReviews: `token_reviewer_jwt`. */
  readonly reviewerJwt: string;

  private constructor(
    readonly url: string,
    private readonly close: () => Promise<void>,
  ) {
    const reviewer = { namespace: 'kube-system', name: 'vault-auth' };
    this.delegators.add(keyOf(reviewer));
    this.reviewerJwt = this.serviceAccountToken(reviewer);
  }

  static async start(): Promise<KubernetesApiStandIn> {
    const ref: { standIn?: KubernetesApiStandIn } = {};
    const server = createServer({
      cert: readFileSync(join(TLS_FIXTURES, 'server.pem')),
      key: readFileSync(join(TLS_FIXTURES, 'server-key.pem')),
    });
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const answer = ref.standIn!.answer(
          req.method ?? '',
          req.url ?? '',
          req.headers.authorization,
          text,
        );
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    server.keepAliveTimeout = 100;
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    ref.standIn = new KubernetesApiStandIn(`https://127.0.0.1:${port}`, () => {
      server.closeAllConnections();
      return new Promise<void>(resolve => server.close(() => resolve()));
    });
    return ref.standIn;
  }

  /** What `auth/<mount>/config` needs to reach this API server. */
  vaultConfig(): Record<string, unknown> {
    return {
      kubernetes_host: this.url,
      kubernetes_ca_cert: this.caCert,
      token_reviewer_jwt: this.reviewerJwt,
      disable_local_ca_jwt: true,
    };
  }

  /** A projected service account token, signed by this cluster (the account is created if new). */
  serviceAccountToken(options: ServiceAccountTokenOptions): string {
    const now = Math.floor(Date.now() / 1000);
    const uid = this.uidOf(options, true) as string;
    return signJwt(this.key, {
      aud: [...(options.audiences ?? [API_AUDIENCE])],
      exp: now + (options.expiresInS ?? 3600),
      iat: now,
      iss: API_AUDIENCE,
      sub: `system:serviceaccount:${options.namespace}:${options.name}`,
      'kubernetes.io': {
        namespace: options.namespace,
        serviceaccount: { name: options.name, uid },
      },
    });
  }

  /** The public half of the service account issuer's key: Vault's `pem_keys`. */
  publicKeyPem(): string {
    return this.key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** The same claims as a real token of `sa`, signed with a key this cluster never used. */
  forgedToken(options: ServiceAccountTokenOptions): string {
    const real = this.serviceAccountToken(options).split('.');
    const stranger = signJwt(newSigningKey(), {}).split('.');
    return [real[0], real[1], stranger[2]].join('.');
  }

  /** The account's uid (tokens carry it; Vault's login metadata shows it). */
  uid(sa: ServiceAccountRef): string | undefined {
    return this.uidOf(sa, false);
  }

  /** `kubectl delete serviceaccount`: its tokens stop passing review. */
  deleteServiceAccount(sa: ServiceAccountRef): void {
    this.uids.delete(keyOf(sa));
  }

  /** Binds system:auth-delegator: the account may create TokenReviews. */
  allowTokenReview(sa: ServiceAccountRef): void {
    this.delegators.add(keyOf(sa));
  }

  stop(): Promise<void> {
    return this.close();
  }

  private uidOf(sa: ServiceAccountRef, create: boolean): string | undefined {
    const key = keyOf(sa);
    if (!this.uids.has(key) && create) this.uids.set(key, randomUUID());
    return this.uids.get(key);
  }

  private answer(method: string, url: string, authorization: string | undefined, text: string) {
    if (method !== 'POST' || url.split('?')[0] !== REVIEW_PATH) {
      return status(404, 'NotFound', 'the server could not find the requested resource');
    }
    let body: TokenReviewCall['body'];
    try {
      body = JSON.parse(text) as TokenReviewCall['body'];
    } catch {
      return status(400, 'BadRequest', 'the body is not JSON');
    }
    this.reviews.push({ authorization, body });
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const caller = bearer ? this.review(bearer, [API_AUDIENCE]) : undefined;
    if (!caller?.authenticated) return status(401, 'Unauthorized', 'Unauthorized');
    const username = caller.user.username ?? '';
    if (!this.delegators.has(username.replace(/^system:serviceaccount:/, ''))) {
      return status(403, 'Forbidden', `User "${username}" cannot create tokenreviews`);
    }
    const token = body.spec?.token ?? '';
    const audiences = body.spec?.audiences?.length ? body.spec.audiences : [API_AUDIENCE];
    return {
      status: 201,
      body: {
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: {},
        spec: body.spec ?? {},
        status: this.review(token, audiences),
      },
    };
  }

  /** The TokenReview status for `token` against the wanted audiences. */
  private review(token: string, wanted: readonly string[]): ReviewStatus {
    const claims = verifiedClaims(this.key, token);
    const sa = claims?.['kubernetes.io'] as
      { namespace?: string; serviceaccount?: { name?: string; uid?: string } } | undefined;
    const ref = { namespace: sa?.namespace ?? '', name: sa?.serviceaccount?.name ?? '' };
    const live =
      claims &&
      typeof claims.exp === 'number' &&
      claims.exp * 1000 > Date.now() &&
      this.uid(ref) !== undefined &&
      this.uid(ref) === sa?.serviceaccount?.uid;
    if (!live) return { authenticated: false, user: {}, error: 'invalid bearer token' };
    const audiences = (claims.aud as string[]).filter(a => wanted.includes(a));
    if (!audiences.length) {
      return {
        authenticated: false,
        user: {},
        error: `invalid bearer token, token audiences ${JSON.stringify(claims.aud)} is invalid for the target audiences ${JSON.stringify(wanted)}`,
      };
    }
    return {
      authenticated: true,
      user: {
        username: `system:serviceaccount:${ref.namespace}:${ref.name}`,
        uid: sa?.serviceaccount?.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${ref.namespace}`],
      },
      audiences,
    };
  }
}

const keyOf = (sa: ServiceAccountRef) => `${sa.namespace}:${sa.name}`;

function status(code: number, reason: string, message: string) {
  return {
    status: code,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code },
  };
}
