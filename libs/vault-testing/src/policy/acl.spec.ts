import { describe, expect, it } from '@jest/globals';
import { Acl, DEFAULT_POLICY_HCL, parsePolicy, type Capability } from './index.js';

function acl(...raws: string[]): Acl {
  return new Acl(raws.map((raw, i) => parsePolicy(`p${i}`, raw)));
}

/** Each expectation below was observed on OpenBao 2.7.2 via sys/capabilities for a token with these policies. */
function expectCapabilities(subject: Acl, table: Record<string, string[]>): void {
  const actual = Object.fromEntries(
    Object.keys(table).map(path => [path, subject.capabilities(path)]),
  );
  expect(actual).toEqual(table);
}

describe('Acl', () => {
  it('root allows everything and reports the root capability', () => {
    const root = Acl.root();
    expect(root.capabilities('secret/data/anything')).toEqual(['root']);
    expect(root.allows('sys/seal', 'sudo')).toBe(true);
  });

  it('answers deny for paths no rule matches, and for an ACL without policies', () => {
    expect(acl('path "a" { capabilities = ["read"] }').capabilities('b')).toEqual(['deny']);
    expect(new Acl([]).capabilities('a')).toEqual(['deny']);
    expect(new Acl([]).allows('a', 'read')).toBe(false);
  });

  it('lets an exact rule beat a glob, with trailing-slash fallback for the exact rule', () => {
    expectCapabilities(
      acl(
        'path "secret/*" { capabilities = ["read"] }\npath "secret/a" { capabilities = ["list"] }',
      ),
      { 'secret/a': ['list'], 'secret/b': ['read'], 'secret/a/': ['list'] },
    );
  });

  it('uses the single most specific rule across policies instead of unioning different patterns', () => {
    expectCapabilities(
      acl(
        'path "secret/*" { capabilities = ["read"] }',
        'path "secret/a*" { capabilities = ["list"] }\npath "secret/x" { capabilities = ["update"] }',
      ),
      { 'secret/abc': ['list'], 'secret/b': ['read'], 'secret/x': ['update'] },
    );
  });

  it('unions the same pattern across policies, and a deny on that pattern wins', () => {
    const read = 'path "secret/*" { capabilities = ["read"] }';
    const listUpdate = 'path "secret/*" { capabilities = ["list", "update"] }';
    const deny =
      'path "secret/*" { capabilities = ["deny"] }\npath "secret/ok" { capabilities = ["read"] }';
    expectCapabilities(acl(read, listUpdate), { 'secret/q': ['list', 'read', 'update'] });
    expectCapabilities(acl(read, listUpdate, deny), {
      'secret/q': ['deny'],
      'secret/ok': ['read'],
    });
    expectCapabilities(acl(deny, read), { 'secret/q': ['deny'] });
  });

  it('merges repeated blocks for one path within a policy', () => {
    expectCapabilities(
      acl('path "x" { capabilities = ["read"] }\npath "x" { capabilities = ["list"] }'),
      { x: ['list', 'read'] },
    );
  });

  it('matches + as exactly one segment (empty included) with list-style slash fallback', () => {
    expectCapabilities(
      acl(
        'path "secret/+/config" { capabilities = ["read"] }\npath "secret/+" { capabilities = ["list"] }',
      ),
      {
        'secret/x/config': ['read'],
        'secret/x': ['list'],
        'secret/x/y': ['deny'],
        'secret/': ['list'],
        'secret//config': ['read'],
        'secret/x/config/': ['read'],
        'secret/x/': ['list'],
      },
    );
  });

  it('retries a trailing-slash path without the slash only when no glob matches it as is', () => {
    expectCapabilities(
      acl(`
        path "+" { capabilities = ["delete", "list", "sudo"] }
        path "*" { capabilities = ["list"] }
        path "a/b/*" { capabilities = ["update"] }
        path "secret/metadata/+" { capabilities = ["read"] }
        path "secret/metadata/*" { capabilities = ["deny"] }`),
      {
        'a/': ['list'],
        a: ['delete', 'list', 'sudo'],
        'a/b/': ['update'],
        'secret/metadata/x/': ['deny'],
        'secret/metadata/x': ['read'],
      },
    );
  });

  it('ranks globs and + patterns by Vault priority rules', () => {
    expectCapabilities(
      acl(`
        path "secret/+/b" { capabilities = ["read"] }
        path "secret/a/*" { capabilities = ["list"] }
        path "secret/+/c*" { capabilities = ["update"] }
        path "secret/+/c" { capabilities = ["delete"] }
        path "secret/+/+/d" { capabilities = ["create"] }
        path "secret/+/q/d" { capabilities = ["sudo"] }
        path "secret/+/+/e/*" { capabilities = ["patch"] }
        path "secret/+/+/e/f" { capabilities = ["read"] }`),
      {
        'secret/a/b': ['list'], // a later first wildcard wins
        'secret/z/b': ['read'],
        'secret/z/c': ['delete'], // no trailing * beats trailing *
        'secret/z/cc': ['update'],
        'secret/z/q/d': ['sudo'], // fewer + wins
        'secret/z/r/d': ['create'],
        'secret/z/r/e/f': ['read'],
        'secret/z/r/e/g': ['patch'],
        'secret/a/c': ['list'],
      },
    );
  });

  it('prefers the longer of two + globs with equal wildcards', () => {
    expectCapabilities(
      acl('path "a/+/b*" { capabilities = ["read"] }\npath "a/+/bc*" { capabilities = ["list"] }'),
      { 'a/x/bcd': ['list'], 'a/x/bd': ['read'] },
    );
  });

  it('gives path "*" to everything without a more specific rule', () => {
    expectCapabilities(
      acl('path "*" { capabilities = ["patch"] }\npath "a" { capabilities = ["read"] }'),
      {
        'anything/else': ['patch'],
        a: ['read'],
      },
    );
  });

  it('ignores leading slashes of the queried path', () => {
    expect(
      acl('path "secret/lead" { capabilities = ["update"] }').capabilities('/secret/lead'),
    ).toEqual(['update']);
  });

  it('reports capabilities sorted alphabetically', () => {
    expect(acl('path "x" { policy = "sudo" capabilities = ["patch"] }').capabilities('x')).toEqual([
      'create',
      'delete',
      'list',
      'patch',
      'read',
      'sudo',
      'update',
    ]);
  });

  describe('allows', () => {
    const subject = acl(`
      path "secret/data/app" { capabilities = ["read"] }
      path "secret/metadata" { capabilities = ["list"] }
      path "secret/denied" { capabilities = ["deny"] }`);

    it.each<[string, Capability, boolean]>([
      ['secret/data/app', 'read', true],
      ['secret/data/app', 'update', false],
      ['secret/data/app/', 'read', false], // only list gets the trailing-slash fallback
      ['secret/metadata/', 'list', true],
      ['secret/metadata', 'list', true],
      ['secret/denied', 'read', false],
      ['secret/denied', 'deny', false],
      ['nowhere', 'read', false],
    ])('%s %s → %s', (path, capability, expected) => {
      expect(subject.allows(path, capability)).toBe(expected);
    });
  });

  describe('default policy', () => {
    const defaults = new Acl([parsePolicy('default', DEFAULT_POLICY_HCL)]);

    it('allows a token to look after itself', () => {
      expectCapabilities(defaults, {
        'auth/token/lookup-self': ['read'],
        'auth/token/renew-self': ['update'],
        'auth/token/revoke-self': ['update'],
        'sys/capabilities-self': ['update'],
        'sys/leases/renew': ['update'],
        'sys/leases/lookup': ['update'],
        'cubbyhole/foo': ['create', 'delete', 'list', 'read', 'update'],
        'identity/oidc/provider/p/authorize': ['read', 'update'],
        'sys/tools/hash/sha2-256': ['update'],
      });
      expect(defaults.allows('auth/token/lookup-self', 'read')).toBe(true);
      expect(defaults.allows('auth/token/renew-self', 'update')).toBe(true);
    });

    it('denies secrets, policies and entity lookups (no identity to template)', () => {
      expectCapabilities(defaults, {
        'secret/data/x': ['deny'],
        'secret/metadata/x': ['deny'],
        'sys/policies/acl/default': ['deny'],
        'auth/token/create': ['deny'],
        cubbyhole: ['deny'],
        'identity/entity/id/': ['deny'],
      });
      expect(defaults.allows('secret/data/x', 'read')).toBe(false);
    });
  });
});
