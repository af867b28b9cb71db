import { describe, expect, it } from '@jest/globals';
import { jsonLine } from './json-line.js';

describe('jsonLine', () => {
  it('escapes what a terminal acts on, and parses back to the same value', () => {
    const key = 'a\u001b[31m\u009b2J\u009d0;x\u0007\u202e\u2066\u2028\u007fz\n';
    const line = jsonLine({ [key]: ['ok', key] });
    expect(line.endsWith('\n')).toBe(true);
    // Nothing below U+0020, no DEL, no C1 control, no separator, no bidi control, but the last \n.
    // eslint-disable-next-line no-control-regex
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/);
    expect(line).toContain('\\u009b2J\\u009d0;x');
    expect(line).toContain('\\u202e\\u2066\\u2028\\u007fz');
    expect(JSON.parse(line)).toEqual({ [key]: ['ok', key] });
  });
});
