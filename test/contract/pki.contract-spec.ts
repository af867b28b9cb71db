/**
 * The `pki` API shapes a certificate source relies on — root/generate/internal, roles, issue,
 * revoke, cert/<serial> — on our server and a real OpenBao: the same answers, and certificates
 * that node:crypto parses, verifies against the CA and pairs with their private key.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, ENVELOPE_KEYS, type Loose } from '../support/contract-helpers.js';
import { configurePki, serialHex, type PkiEngineSetup } from '../support/pki-engine.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const SERIAL = /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/;
const AIA_WARNING = /^This mount hasn't configured any authority information access \(AIA\) fields/;
const noLeadingZeros = (hex: string) => hex.replace(/^0+/, '');

describeTargets('pki: root CA, roles, issue', kind => {
  let t: VaultTarget;
  let pki: PkiEngineSetup;
  const vault = () => t;
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

  it('generates a self-signed root CA inside the mount, backdated 30 s', async () => {
    const before = Date.now();
    const res = await call(vault(), 'POST', 'sys/mounts/pki-root', { body: { type: 'pki' } });
    expect(res.status).toBe(204);
    const root = await call(vault(), 'POST', 'pki-root/root/generate/internal', {
      body: { common_name: 'Contract Root', ttl: '2h', key_type: 'ec', key_bits: 256 },
    });
    expect(root.status).toBe(200);
    for (const key of ENVELOPE_KEYS) expect(root.body).toHaveProperty(key);
    expect(root.body.warnings).toEqual([expect.stringMatching(AIA_WARNING)]);
    expect(root.body.data).toMatchObject({
      certificate: expect.stringMatching(/^-----BEGIN CERTIFICATE-----\n/),
      expiration: expect.any(Number),
      issuer_id: expect.any(String),
      issuer_name: '',
      key_id: expect.any(String),
      key_name: '',
      serial_number: expect.stringMatching(SERIAL),
    });
    expect(root.body.data).not.toHaveProperty('private_key');
    expect(root.body.data.issuing_ca).toBe(root.body.data.certificate);
    const ca = new X509Certificate(root.body.data.certificate);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=Contract Root');
    expect(ca.issuer).toBe('CN=Contract Root');
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(noLeadingZeros(ca.serialNumber)).toBe(
      noLeadingZeros(serialHex(root.body.data.serial_number)),
    );
    const notBefore = Date.parse(ca.validFrom);
    const notAfter = Date.parse(ca.validTo);
    expect(notAfter).toBe(root.body.data.expiration * 1000);
    expect(Math.abs(notAfter - before - 2 * 3600_000)).toBeLessThan(5000);
    expect(Math.abs(before - 30_000 - notBefore)).toBeLessThan(5000);
    const config = await call(vault(), 'GET', 'pki-root/config/issuers');
    expect(config.body.data).toEqual({
      default: root.body.data.issuer_id,
      default_follows_latest_issuer: false,
    });
  });

  it('answers a role write and read with the role; issue needs a default issuer first', async () => {
    await call(vault(), 'POST', 'sys/mounts/pki-empty', { body: { type: 'pki' } });
    const role = await call(vault(), 'POST', 'pki-empty/roles/r', {
      body: { allowed_domains: 'a.com,b.com', allow_subdomains: true, max_ttl: '1h', ttl: '10m' },
    });
    expect(role.status).toBe(200);
    expect(role.body.warnings).toEqual([
      'Issuing Certificate was set to default, but no default issuing certificate (configurable at /config/issuers) is currently set',
    ]);
    const expected = {
      allowed_domains: ['a.com', 'b.com'],
      allow_subdomains: true,
      allow_bare_domains: false,
      allow_glob_domains: false,
      allow_any_name: false,
      allow_localhost: true,
      allow_ip_sans: true,
      allow_wildcard_certificates: true,
      enforce_hostnames: true,
      key_type: 'rsa',
      key_bits: 2048,
      key_usage: ['DigitalSignature', 'KeyAgreement', 'KeyEncipherment'],
      server_flag: true,
      client_flag: true,
      max_ttl: 3600,
      ttl: 600,
      not_before_duration: 30,
      require_cn: true,
      no_store: false,
      generate_lease: false,
      issuer_ref: 'default',
    };
    expect(role.body.data).toMatchObject(expected);
    expect((await call(vault(), 'GET', 'pki-empty/roles/r')).body.data).toMatchObject(expected);
    expect((await call(vault(), 'LIST', 'pki-empty/roles')).body.data).toEqual({ keys: ['r'] });
    expect((await call(vault(), 'GET', 'pki-empty/roles/nope')).status).toBe(404);
    const noIssuer = await call(vault(), 'POST', 'pki-empty/issue/r', {
      body: { common_name: 'x.a.com' },
    });
    expect(noIssuer.status).toBe(500);
    expect(noIssuer.body).toEqual({
      errors: [
        '1 error occurred:\n\t* could not fetch the CA certificate (was one set?): no default issuer currently configured\n\n',
      ],
    });
    const badTtl = await call(vault(), 'POST', 'pki-empty/roles/r2', {
      body: { ttl: '2h', max_ttl: '1h' },
    });
    expect(badTtl.status).toBe(400);
    expect(badTtl.body).toEqual({ errors: ['"ttl" value must be less than "max_ttl" value'] });
    const badKey = await call(vault(), 'POST', 'pki-empty/roles/r2', {
      body: { key_type: 'ec', key_bits: 123 },
    });
    expect(badKey.body).toEqual({ errors: ['unsupported bit length for EC key: 123'] });
  });

  it('issues a certificate for the role: subject, SANs, 30 s backdating, key pair, signed by the CA', async () => {
    const before = Date.now();
    const res = await issue({
      common_name: 'app.example.com',
      alt_names: 'api.example.com',
      ip_sans: '127.0.0.1,::1',
      ttl: '45s',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      warnings: null,
    });
    const data: Loose = res.body.data;
    expect(data).toMatchObject({
      certificate: expect.stringMatching(
        /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----$/,
      ),
      private_key: expect.stringMatching(/^-----BEGIN RSA PRIVATE KEY-----\n/),
      private_key_type: 'rsa',
      issuing_ca: pki.caPem,
      ca_chain: [pki.caPem],
      serial_number: expect.stringMatching(SERIAL),
      expiration: expect.any(Number),
    });
    const cert = new X509Certificate(data.certificate);
    expect(cert.subject).toBe('CN=app.example.com');
    expect(cert.issuer).toBe(pki.ca.subject);
    expect(cert.subjectAltName).toBe(
      'DNS:app.example.com, DNS:api.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.checkIssued(pki.ca)).toBe(true);
    expect(cert.verify(pki.ca.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(data.private_key))).toBe(true);
    expect(noLeadingZeros(cert.serialNumber)).toBe(noLeadingZeros(serialHex(data.serial_number)));
    const notAfter = Date.parse(cert.validTo);
    expect(notAfter).toBe(data.expiration * 1000);
    expect(Math.abs(notAfter - before - 45_000)).toBeLessThan(3000);
    expect(Math.abs(before - 30_000 - Date.parse(cert.validFrom))).toBeLessThan(3000);

    const stored = await call(vault(), 'GET', `pki/cert/${data.serial_number}`, { token: null });
    expect(stored.status).toBe(200);
    expect(stored.body.data).toMatchObject({
      certificate: data.certificate,
      revocation_time: 0,
      revocation_time_rfc3339: '',
    });
    const hyphens = await call(vault(), 'GET', `pki/cert/${data.serial_number.replace(/:/g, '-')}`);
    expect(hyphens.body.data.certificate).toBe(data.certificate);
    expect((await call(vault(), 'LIST', 'pki/certs')).body.data.keys).toEqual(
      expect.arrayContaining([data.serial_number, pki.caSerial]),
    );
  });

  it('uses the role TTL by default and caps a longer one at max_ttl with a warning', async () => {
    const byRole = await issue({ common_name: 'a.example.com' });
    expect(byRole.body.data.expiration * 1000 - Date.now()).toBeGreaterThan(25_000);
    expect(byRole.body.data.expiration * 1000 - Date.now()).toBeLessThanOrEqual(31_000);
    const capped = await issue({ common_name: 'a.example.com', ttl: '2h' });
    expect(capped.status).toBe(200);
    expect(capped.body.warnings).toEqual([
      'TTL "2h0m0s" is longer than permitted maxTTL "1h0m0s", so maxTTL is being used',
    ]);
    expect(Math.abs(capped.body.data.expiration * 1000 - Date.now() - 3600_000)).toBeLessThan(3000);
  });

  it('refuses names, IPs and TTLs the role or the CA does not allow', async () => {
    const refused = async (body: Record<string, unknown>, role = 'web') => {
      const res = await issue(body, role);
      expect(res.status).toBe(400);
      return res.body.errors as string[];
    };
    expect(await refused({ common_name: 'a.other.com' })).toEqual([
      'common name a.other.com not allowed by this role',
    ]);
    expect(await refused({ common_name: 'example.com' })).toEqual([
      'common name example.com not allowed by this role',
    ]);
    expect(await refused({ common_name: 'a.example.com', alt_names: 'x.other.com' })).toEqual([
      'subject alternate name x.other.com not allowed by this role',
    ]);
    expect(await refused({})).toEqual([
      'the common_name field is required, or must be provided in a CSR with "use_csr_common_name" set to true, unless "require_cn" is set to false',
    ]);
    expect(await refused({ common_name: 'a.example.com', ip_sans: 'notanip' })).toEqual([
      'the value "notanip" is not a valid IP address',
    ]);
    expect(await refused({ common_name: 'a.example.com', ttl: 'bogus' })).toEqual([
      'Field validation failed: error converting input for field "ttl": time: invalid duration "bogus"',
    ]);
    expect(await refused({ common_name: 'a.example.com' }, 'nope')).toEqual(['unknown role: nope']);
    await call(vault(), 'POST', 'pki/roles/no-ip', {
      body: { allowed_domains: ['example.com'], allow_subdomains: true, allow_ip_sans: false },
    });
    expect(await refused({ common_name: 'a.example.com', ip_sans: '10.0.0.1' }, 'no-ip')).toEqual([
      'IP Subject Alternative Names are not allowed in this role, but was provided via the API',
    ]);
    await call(vault(), 'POST', 'pki/roles/long', {
      body: { allow_any_name: true, max_ttl: '87600h' },
    });
    const [beyond] = await refused({ common_name: 'x', ttl: '48h' }, 'long');
    expect(beyond).toMatch(
      /^cannot satisfy request, as TTL would result in notAfter of \S+Z that is beyond the expiration of the CA certificate at \S+Z$/,
    );
    expect((await issue({ common_name: 'localhost' })).status).toBe(200);
  });

  it('issues EC keys (SEC 1, or PKCS #8 when asked) for an ec role', async () => {
    await call(vault(), 'POST', 'pki/roles/ec', {
      body: {
        allowed_domains: ['example.com'],
        allow_bare_domains: true,
        key_type: 'ec',
        key_bits: 384,
      },
    });
    const sec1 = await issue({ common_name: 'example.com', ttl: '1h' }, 'ec');
    expect(sec1.status).toBe(200);
    expect(sec1.body.data.private_key_type).toBe('ec');
    expect(sec1.body.data.private_key).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    const cert = new X509Certificate(sec1.body.data.certificate);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(cert.checkPrivateKey(createPrivateKey(sec1.body.data.private_key))).toBe(true);
    const pkcs8 = await issue(
      { common_name: 'example.com', ttl: '1h', private_key_format: 'pkcs8' },
      'ec',
    );
    expect(pkcs8.body.data.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });
});
