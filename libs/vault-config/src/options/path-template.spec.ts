import { describe, expect, it } from '@jest/globals';
import { normalizeVaultPath, renderSourcePath } from './path-template.js';

describe('path templating', () => {
  it('replaces {env}, rejects other placeholders, normalises slashes', () => {
    expect(renderSourcePath('apps/{env}/x-{env}', 'dev')).toEqual({ path: 'apps/dev/x-dev' });
    expect(renderSourcePath('apps/{stage}', 'dev')).toEqual({
      error: 'uses unknown placeholder {stage} (only {env} is supported)',
    });
    expect(normalizeVaultPath('/a/b/')).toBe('a/b');
    expect(normalizeVaultPath('a//b')).toBeUndefined();
    expect(normalizeVaultPath('a/./b')).toBeUndefined();
  });
});
