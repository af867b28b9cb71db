import type { KeyObject } from 'node:crypto';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { isPlainObject, type SafeRecord } from '../../util/safe-object.js';
import { SUPPORTED_ALGS, verifySignature } from '../jwt/jwt-signature.js';

/** The service account a login JWT names (its claims; TokenReview decides whether to believe them). */
export interface ServiceAccount {
  name: string;
  namespace: string;
  uid: string;
  secretName: string;
  /** The JWT's `aud`. */
  audiences: string[];
}

export interface JwtChecks {
  /** Milliseconds since the epoch, from the server's clock. */
  now: number;
  /** The role's `audience`: the JWT's `aud` must hold it. */
  audience: string;
  /** `pem_keys`: when given, the signature must verify against one of them. */
  keys: readonly KeyObject[];
}

/** Vault's plugin answers every JWT it cannot trust with a bare 403. */
const denied = () => new VaultHttpError(403, ['permission denied']);

/**
 * What Vault's kubernetes plugin checks of the login JWT before asking the API server: a compact
 * JWS with a signing algorithm (go-jose refuses `none`), `exp` not past, the role's audience in
 * `aud`, and the signature when `pem_keys` are configured. Then the service account it names.
 */
export function serviceAccountFromJwt(jwt: string, checks: JwtChecks): ServiceAccount {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw denied();
  const header = decode(parts[0]);
  const claims = decode(parts[1]);
  if (!header || !claims) throw denied();
  if (!(SUPPORTED_ALGS as readonly string[]).includes(String(header.alg))) throw denied();
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= checks.now) {
    throw new VaultHttpError(403, ['invalid expiration time (exp) claim: token is expired']);
  }
  if (checks.audience && !audiencesOf(claims).includes(checks.audience)) {
    throw new VaultHttpError(403, [
      'invalid audience (aud) claim: audience claim does not match any expected audience',
    ]);
  }
  if (checks.keys.length) {
    try {
      verifySignature(jwt, checks.keys);
    } catch {
      throw denied();
    }
  }
  return { ...serviceAccountOf(claims), audiences: audiencesOf(claims) };
}

function serviceAccountOf(claims: SafeRecord): Omit<ServiceAccount, 'audiences'> {
  const nested = isPlainObject(claims['kubernetes.io']) ? claims['kubernetes.io'] : undefined;
  const nestedSa =
    nested && isPlainObject(nested.serviceaccount) ? nested.serviceaccount : undefined;
  let name =
    str(claims['kubernetes.io/serviceaccount/service-account.name']) ?? str(nestedSa?.name);
  let namespace = str(claims['kubernetes.io/serviceaccount/namespace']) ?? str(nested?.namespace);
  const uid =
    str(claims['kubernetes.io/serviceaccount/service-account.uid']) ?? str(nestedSa?.uid) ?? '';
  const sub = str(claims.sub);
  const m = sub ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(sub) : null;
  if (m) {
    namespace ??= m[1];
    name ??= m[2];
  }
  if (!name || !namespace) throw denied();
  return {
    name,
    namespace,
    uid,
    secretName: str(claims['kubernetes.io/serviceaccount/secret.name']) ?? '',
  };
}

function audiencesOf(claims: SafeRecord): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function decode(part: string): SafeRecord | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
