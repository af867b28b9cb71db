import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY_HCL, PolicyParseError, parsePolicy } from './index.js';

function rule(raw: string, path: string) {
  return parsePolicy('p', raw).rules.find(r => r.path === path);
}

describe('parsePolicy', () => {
  it('parses path blocks with comments of every kind, ignoring the accepted extra keys', () => {
    const policy = parsePolicy(
      'app',
      `# hash comment
       // slash comment
       /* block
          comment */
       name = "ignored"
       path "secret/data/app" {
         capabilities = ["read", "read", "list",]
         allowed_parameters = { "foo" = ["a", "b"], "bar" = [] }
         denied_parameters = { "baz" = [] }
         required_parameters = ["foo"]
         min_wrapping_ttl = "1s"
         max_wrapping_ttl = 90
       }
       path "secret/metadata/*" { capabilities = ["list"], comment = "x" }`,
    );
    expect(policy.name).toBe('app');
    expect(policy.rules).toEqual([
      {
        path: 'secret/data/app',
        isPrefix: false,
        hasSegmentWildcards: false,
        templated: false,
        capabilities: ['read', 'list'],
      },
      {
        path: 'secret/metadata/',
        isPrefix: true,
        hasSegmentWildcards: false,
        templated: false,
        capabilities: ['list'],
      },
    ]);
  });

  it('keeps the raw text and strips a leading slash from patterns', () => {
    const raw = 'path "/secret/lead" { capabilities = ["update"] }';
    const policy = parsePolicy('p', raw);
    expect(policy.raw).toBe(raw);
    expect(policy.rules[0]?.path).toBe('secret/lead');
  });

  it('keeps the trailing * of a + pattern and flags segment wildcards', () => {
    expect(rule('path "secret/+/x*" { capabilities = ["read"] }', 'secret/+/x*')).toMatchObject({
      isPrefix: false,
      hasSegmentWildcards: true,
    });
    expect(rule('path "+" { capabilities = ["read"] }', '+')?.hasSegmentWildcards).toBe(true);
    expect(rule('path "a+b" { capabilities = ["read"] }', 'a+b')?.hasSegmentWildcards).toBe(false);
  });

  it('expands the deprecated policy shorthand like Vault, appending to capabilities', () => {
    const caps = (shorthand: string) =>
      rule(`path "x" { policy = "${shorthand}" capabilities = ["patch"] }`, 'x')?.capabilities;
    expect(caps('read')).toEqual(['patch', 'read', 'list']);
    expect(caps('write')).toEqual(['patch', 'create', 'read', 'update', 'delete', 'list']);
    expect(caps('sudo')).toEqual(['patch', 'create', 'read', 'update', 'delete', 'list', 'sudo']);
    expect(caps('deny')).toEqual(['deny']);
  });

  it('collapses a capability list containing deny to deny alone', () => {
    expect(rule('path "x" { capabilities = ["read", "deny"] }', 'x')?.capabilities).toEqual([
      'deny',
    ]);
    // Vault stops validating at deny, so a later unknown capability is not an error
    expect(rule('path "x" { capabilities = ["deny", "bogus"] }', 'x')?.capabilities).toEqual([
      'deny',
    ]);
  });

  it('parses the JSON form, as an object of paths or a list of them', () => {
    const object = parsePolicy(
      'j',
      '{"path": {"secret/j/*": {"capabilities": ["read"]}, "secret/k": {"policy": "read"}}}',
    );
    expect(object.rules.map(r => [r.path, r.isPrefix, r.capabilities])).toEqual([
      ['secret/j/', true, ['read']],
      ['secret/k', false, ['read', 'list']],
    ]);
    const list = parsePolicy(
      'j',
      '{"path": [{"a": {"capabilities": ["read"]}}, {"b": {"capabilities": ["list"]}}]}',
    );
    expect(list.rules.map(r => r.path)).toEqual(['a', 'b']);
  });

  it('reads heredoc strings with their trailing newline, as HCL does', () => {
    expect(() => parsePolicy('h', 'path "x" {\n capabilities = [<<EOF\nread\nEOF\n]\n}')).toThrow(
      'invalid capability "read\\n"',
    );
  });

  it('accepts an empty policy', () => {
    expect(parsePolicy('empty', '  # nothing\n').rules).toEqual([]);
  });

  it('marks identity-templated paths', () => {
    expect(parsePolicy('default', DEFAULT_POLICY_HCL).rules.filter(r => r.templated)).toHaveLength(
      2,
    );
  });

  it.each([
    [
      'unknown capability',
      'path "x" { capabilities = ["bogus"] }',
      /path "x": invalid capability "bogus"/,
    ],
    ['upper-case capability', 'path "x" { capabilities = ["READ"] }', /invalid capability "READ"/],
    ['capabilities not a list', 'path "x" { capabilities = "read" }', /path "x":/],
    ['unknown shorthand', 'path "x" { policy = "bad" }', /invalid policy "bad"/],
    [
      'unknown rule key',
      'path "x" {\n capabilities = ["read"]\n foo = 1 }',
      /invalid key "foo" on line 3/,
    ],
    ['unknown top-level key', 'foo "x" { capabilities = ["read"] }', /invalid key "foo"/],
    ['+* wildcard', 'path "a/+*" { capabilities = ["read"] }', /'\+\*' is forbidden/],
    [
      'unclosed block',
      'path "x" { capabilities = ["read"]\n',
      /^failed to parse policy: At \d+:\d+:/,
    ],
    ['trailing garbage', 'path "x" { capabilities = ["read"] } garbage', /key 'garbage' expected/],
    ['bare identifier value', 'path "x" { capabilities = [read] }', /Unknown token/],
    ['labels with =', 'path "x" = { capabilities = ["read"] }', /nested object expected/],
    ['unterminated string', 'path "x { capabilities = ["read"] }', /literal not terminated/],
    ['unterminated comment', '/* path "x"', /comment not terminated/],
    ['illegal character', 'path secret/x { capabilities = ["read"] }', /illegal char/],
    ['broken JSON', '{"path": {"x": ', /invalid JSON/],
    ['JSON null', '{"path": null}', /null/],
    ['block that is not an object', '{"path": {"x": ["read"]}}', /path "x": expected an object/],
  ])('rejects %s with a Vault-like PolicyParseError', (_name, raw, message) => {
    let thrown: unknown;
    try {
      parsePolicy('bad', raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PolicyParseError);
    expect((thrown as Error).message).toMatch(/^failed to parse policy: /);
    expect((thrown as Error).message).toMatch(message);
  });

  it('refuses to define a policy called root', () => {
    expect(() => parsePolicy(' Root ', 'path "*" { capabilities = ["read"] }')).toThrow(
      new PolicyParseError('cannot update "root" policy'),
    );
  });

  it('survives hostile input without crashing or polluting prototypes', () => {
    const deep = 'path "x" { a = ' + '['.repeat(10_000);
    expect(() => parsePolicy('deep', deep)).toThrow(PolicyParseError);
    expect(() =>
      parsePolicy('deep', '{"path":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}'),
    ).toThrow(PolicyParseError);
    const polluting = parsePolicy(
      'proto',
      '{"path": {"__proto__": {"capabilities": ["read"]}, "constructor": {"capabilities": ["list"]}}}',
    );
    expect(polluting.rules.map(r => r.path)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['capabilities']).toBeUndefined();
  });
});
