/**
 * VaultConfigModule with JWT auth, against the test server and OpenBao: a JWT signed here (RSA
 * key made with node:crypto) logs in, the token is renewed, a new login after the max TTL reads
 * the rotated jwtFile, a wrong audience is refused with Vault's reason, and no JWT, secret or
 * token shows up in any log line, health body or error.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsService, VaultAuthError } from 'nestjs-vault-config';
import { canary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { makeJwtIssuer } from '../support/jwt-issuer.js';
import { rootCall, tokensWithPolicy } from '../support/lifecycle-support.js';
import { LoginSuite, readPolicyHcl } from '../support/login-e2e.js';
import {
  selectedTargets,
  startTarget,
  vaultRequest,
  type VaultTarget,
} from '../support/vault-target.js';

const AUD = 'https://github.com/acme';

describe.each(selectedTargets())('JWT auth through VaultConfigModule (%s)', kind => {
  let target: VaultTarget;
  const secret = canary('jwt-secret');
  const issuer = makeJwtIssuer('RS256', 'https://token.actions.githubusercontent.com');
  const dir = mkdtempSync(join(tmpdir(), 'jwt-e2e-'));
  const jwtFile = join(dir, 'token');
  const jwts: string[] = [];
  const suite = new LoginSuite(() => ({
    address: target.url,
    auth: { method: 'jwt', role: 'deploy', jwtFile },
    sources: [{ mount: 'secret', path: 'login-jwt/app' }],
    healthCacheMs: 100,
  }));
  /** A JWT as GitHub Actions issues one for a workflow run of acme/billing on main. */
  const ciJwt = (runId: string, claims: Record<string, unknown> = {}) => {
    const jwt = issuer.sign({
      sub: 'repo:acme/billing:ref:refs/heads/main',
      aud: AUD,
      repository: 'acme/billing',
      ref: 'refs/heads/main',
      run_id: runId,
      ...claims,
    });
    jwts.push(jwt);
    return jwt;
  };

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'login-jwt/app', { JWT_APP_SECRET: secret });
    await rootCall(target, 'PUT', 'sys/policies/acl/login-jwt', {
      policy: readPolicyHcl('login-jwt'),
    });
    await rootCall(target, 'POST', 'sys/auth/jwt', { type: 'jwt' });
    await rootCall(target, 'POST', 'auth/jwt/config', {
      jwt_validation_pubkeys: [issuer.publicKeyPem],
      bound_issuer: issuer.issuer,
    });
    await rootCall(target, 'POST', 'auth/jwt/role/deploy', {
      role_type: 'jwt',
      user_claim: 'sub',
      bound_audiences: [AUD],
      bound_claims: { repository: 'acme/billing', ref: 'refs/heads/main' },
      claim_mappings: { run_id: 'run_id' },
      token_policies: ['login-jwt'],
      token_ttl: '4s',
      token_max_ttl: '6s',
    });
  });
  afterAll(async () => {
    await suite.finish([secret, ...jwts], async () => {
      rmSync(dir, { recursive: true, force: true });
      await target?.stop();
    });
  });

  /** The run_id of each live token of the role, as an operator would look it up. */
  const liveRunIds = async () => {
    const ids: string[] = [];
    for (const accessor of await tokensWithPolicy(target, 'login-jwt')) {
      const res = await vaultRequest(target, 'POST', 'auth/token/lookup-accessor', { accessor });
      ids.push(String((res.body as { data: { meta: Record<string, string> } }).data.meta.run_id));
    }
    return ids;
  };

  it('logs in, renews, and after the max TTL logs in again with the rotated jwtFile', async () => {
    writeFileSync(jwtFile, `${ciJwt('run-1')}\n`);
    const app = await suite.boot({ revokeOnShutdown: true });
    expect(app.get(SecretsService).get('JWT_APP_SECRET')).toBe(secret);
    const health = await suite.health(app);
    expect(health.status).toBe(200);
    expect(health.body.details.vault.tokenTtlS).toBeLessThanOrEqual(4); // token_ttl 4 s
    expect(await liveRunIds()).toEqual(['run-1']);
    writeFileSync(jwtFile, `${ciJwt('run-2')}\n`); // the runner hands out a fresh JWT
    await suite.expectRenewalThenRelogin(app, 'jwt', 'JWT_APP_SECRET', secret);
    expect(await liveRunIds()).toContain('run-2');
    expect(await liveRunIds()).not.toContain('run-1'); // the first token has expired
    await app.close();
    expect(await tokensWithPolicy(target, 'login-jwt')).toEqual([]); // revokeOnShutdown
  });

  it('a JWT for another audience is refused at boot with Vault’s reason, never the JWT', async () => {
    const jwt = ciJwt('run-3', { aud: 'https://github.com/evil' });
    const error = await suite.bootFailure({ auth: { method: 'jwt', role: 'deploy', jwt } });
    expect(error).toBeInstanceOf(VaultAuthError);
    expect(error.message).toBe(
      'Vault jwt authentication failed: Vault answered 400 at auth/jwt/login; check the role, ' +
        "the JWT's issuer, audience and expiry, and the role's bound_audiences and bound_claims " +
        '(error validating token: invalid audience (aud) claim: audience claim does not match ' +
        'any expected audience).',
    );
    const claims = await suite.bootFailure({
      auth: { method: 'jwt', role: 'deploy', jwt: ciJwt('run-4', { ref: 'refs/heads/dev' }) },
    });
    expect(claims.message).toContain(
      '(error validating claims: claim "ref" does not match any associated bound claim values)',
    );
  });
});
