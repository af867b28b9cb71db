/**
 * `pki/revoke` and `pki/cert/<serial>` (what `revokeOnShutdown` relies on) and the policy a
 * certificate source needs, on our server and a real OpenBao.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  PERMISSION_DENIED_BODY,
  putPolicy,
  RFC3339,
} from '../support/contract-helpers.js';
import { configurePki, type PkiEngineSetup } from '../support/pki-engine.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('pki: revoke and least privilege', kind => {
  let t: VaultTarget;
  let pki: PkiEngineSetup;
  const vault = () => t;
  /** Real time on a real server, the test clock on ours. */
  const elapse = async (ms: number): Promise<void> => {
    if (t.memory) t.memory.clock.advance(ms);
    else await new Promise(r => setTimeout(r, ms));
  };
  const issue = (body: Record<string, unknown>, role = 'web', token?: string) =>
    call(vault(), 'POST', `pki/issue/${role}`, token === undefined ? { body } : { body, token });

  beforeAll(async () => {
    t = await startTarget(kind);
    pki = await configurePki(t, {
      mount: 'pki',
      role: 'web',
      roleBody: {
        allowed_domains: ['example.com'],
        allow_subdomains: true,
        max_ttl: '1h',
        ttl: '30s',
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('revokes by serial (colon or hyphen form); cert/<serial> then shows the revocation time', async () => {
    const issued = (await issue({ common_name: 'r.example.com' })).body.data;
    const revoked = await call(vault(), 'POST', 'pki/revoke', {
      body: { serial_number: issued.serial_number.replace(/:/g, '-') },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toEqual({
      revocation_time: expect.any(Number),
      revocation_time_rfc3339: expect.stringMatching(RFC3339),
      state: 'revoked',
    });
    expect(Math.abs(revoked.body.data.revocation_time * 1000 - Date.now())).toBeLessThan(3000);
    const again = await call(vault(), 'POST', 'pki/revoke', {
      body: { serial_number: issued.serial_number },
    });
    expect(again.body.data).toEqual(revoked.body.data);
    const read = await call(vault(), 'GET', `pki/cert/${issued.serial_number}`);
    expect(read.body.data).toMatchObject({
      certificate: issued.certificate,
      revocation_time: revoked.body.data.revocation_time,
      revocation_time_rfc3339: revoked.body.data.revocation_time_rfc3339,
    });

    const unknown = await call(vault(), 'POST', 'pki/revoke', { body: { serial_number: '11:22' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ errors: ['certificate with serial 11:22 not found.'] });
    const missing = await call(vault(), 'POST', 'pki/revoke', { body: {} });
    expect(missing.body).toEqual({
      errors: ['The serial number or certificate to revoke must be provided.'],
    });
    const issuerId = (await call(vault(), 'GET', 'pki/config/issuers')).body.data.default;
    const ca = await call(vault(), 'POST', 'pki/revoke', { body: { serial_number: pki.caSerial } });
    expect(ca.status).toBe(400);
    expect(ca.body).toEqual({
      errors: [`adding issuer (id: ${issuerId}) to its own CRL is not allowed`],
    });
    expect((await call(vault(), 'GET', 'pki/cert/11:22')).status).toBe(404);
  });

  it('does not revoke an expired certificate: 200 with a warning', async () => {
    const issued = (await issue({ common_name: 'old.example.com', ttl: '1s' })).body.data;
    await elapse(2100);
    const res = await call(vault(), 'POST', 'pki/revoke', {
      body: { serial_number: issued.serial_number },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.warnings).toEqual([
      `certificate with serial ${issued.serial_number} already expired; refusing to add to CRL. Enable 'AllowExpiredCertRevocation' to allow revoking expired certificates.`,
    ]);
  });

  it('least privilege: update on pki/issue/<role> issues, create alone does not, revoke needs its own grant', async () => {
    await putPolicy(vault(), 'pki-issue', 'path "pki/issue/web" { capabilities = ["update"] }');
    await putPolicy(vault(), 'pki-create', 'path "pki/issue/web" { capabilities = ["create"] }');
    const issuer = await createToken(vault(), { policies: ['pki-issue'], ttl: '1h' });
    const creator = await createToken(vault(), { policies: ['pki-create'], ttl: '1h' });
    const issued = await issue({ common_name: 'least.example.com' }, 'web', issuer);
    expect(issued.status).toBe(200);
    expect((await issue({ common_name: 'least.example.com' }, 'web', creator)).body).toEqual(
      PERMISSION_DENIED_BODY,
    );
    const revoke = await call(vault(), 'POST', 'pki/revoke', {
      token: issuer,
      body: { serial_number: issued.body.data.serial_number },
    });
    expect(revoke.status).toBe(403);
    expect(revoke.body).toEqual(PERMISSION_DENIED_BODY);
  });
});
