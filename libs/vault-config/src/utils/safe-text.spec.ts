import { describe, expect, it } from '@jest/globals';
import { escapeText, safeText, vaultErrorStrings } from './safe-text.js';

describe('escapeText / safeText', () => {
  it('writes out C0 controls, DEL and newlines visibly', () => {
    expect(escapeText('a\nb\r\tc\u0000d\u001b[2Je\u007f')).toBe(
      'a\\nb\\r\\tc\\u0000d\\u001b[2Je\\u007f',
    );
  });

  it('writes out C1 controls (CSI, OSC), line/paragraph separators and bidi controls', () => {
    expect(escapeText('\u0080\u009b31m\u009d0;title\u009c\u009f')).toBe(
      '\\u0080\\u009b31m\\u009d0;title\\u009c\\u009f',
    );
    expect(escapeText('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(escapeText(bidi)).toBe(
      [...bidi].map(c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    );
  });

  it('leaves printable text alone, non-Latin letters and emoji included', () => {
    const text = 'Grüße, 東京 — ok ✓ 🙂 \\n stays a backslash and an n';
    expect(escapeText(text)).toBe(text);
    expect(safeText(`  ${text}  `)).toBe(text);
  });

  it('cuts before escaping, so an escape is never cut in half', () => {
    expect(safeText('abc\u009bdef', 4)).toBe('abc\\u009b…');
    expect(safeText('x'.repeat(10), 3)).toBe('xxx…');
  });

  it('folds the layout of Vault error strings into spaces and escapes the rest', () => {
    expect(vaultErrorStrings({ errors: ['denied\n[Nest] forged \u202eevil\u001b[2J'] })).toEqual([
      'denied [Nest] forged \\u202eevil\\u001b[2J',
    ]);
  });
});
