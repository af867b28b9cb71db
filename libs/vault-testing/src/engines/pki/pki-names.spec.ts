import { describe, expect, it } from '@jest/globals';
import { nameAllowed } from './pki-names.js';
import { parsePkiRole } from './pki-role.js';

const role = (body: Record<string, unknown>) => parsePkiRole(body);

describe('nameAllowed (Vault validateNames)', () => {
  it('subdomains, bare domains and globs each need their flag', () => {
    const sub = role({ allowed_domains: ['example.com'], allow_subdomains: true });
    expect(nameAllowed(sub, 'a.example.com')).toBe(true);
    expect(nameAllowed(sub, 'a.b.example.com')).toBe(true);
    expect(nameAllowed(sub, 'example.com')).toBe(false);
    expect(nameAllowed(sub, 'badexample.com')).toBe(false);
    const bare = role({ allowed_domains: ['example.com'], allow_bare_domains: true });
    expect(nameAllowed(bare, 'EXAMPLE.com')).toBe(true);
    expect(nameAllowed(bare, 'a.example.com')).toBe(false);
    const glob = role({ allowed_domains: ['web-*.example.com'], allow_glob_domains: true });
    expect(nameAllowed(glob, 'web-01.example.com')).toBe(true);
    expect(nameAllowed(glob, 'db-01.example.com')).toBe(false);
  });

  it('wildcards, e-mail addresses, localhost and hostname syntax', () => {
    const sub = role({ allowed_domains: ['example.com'], allow_subdomains: true });
    expect(nameAllowed(sub, '*.example.com')).toBe(true);
    expect(
      nameAllowed(
        role({
          allowed_domains: ['example.com'],
          allow_subdomains: true,
          allow_wildcard_certificates: false,
        }),
        '*.example.com',
      ),
    ).toBe(false);
    expect(nameAllowed(sub, 'ops@a.example.com')).toBe(true);
    expect(nameAllowed(sub, 'ops@*.example.com')).toBe(false);
    expect(nameAllowed(sub, 'localhost')).toBe(true);
    expect(nameAllowed(sub, 'app.localhost')).toBe(true);
    expect(nameAllowed(role({ allow_localhost: false }), 'localhost')).toBe(false);
    expect(nameAllowed(role({ allow_any_name: true }), 'not a hostname')).toBe(false);
    expect(
      nameAllowed(role({ allow_any_name: true, enforce_hostnames: false }), 'not a hostname'),
    ).toBe(true);
  });
});
