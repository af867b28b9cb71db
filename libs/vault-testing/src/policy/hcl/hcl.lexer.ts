import { HclSyntaxError } from '../errors/hcl-syntax.error.js';
import type { HclToken, HclTokenType } from './hcl-token.interface.js';

const PUNCTUATION = new Set(['=', '{', '}', '[', ']', ',']);
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_\-.:]/;
const NUMBER = /^-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** Splits HCL v1 text into tokens. Newlines are plain whitespace in HCL v1. */
export class HclLexer {
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly text: string) {}

  tokenize(): HclToken[] {
    const tokens: HclToken[] = [];
    for (;;) {
      const token = this.next();
      tokens.push(token);
      if (token.type === 'eof') return tokens;
    }
  }

  private next(): HclToken {
    this.skipWhitespaceAndComments();
    const { line, column } = this;
    const char = this.text[this.offset];
    if (char === undefined) return { type: 'eof', text: '', line, column };
    if (PUNCTUATION.has(char)) {
      this.advance(1);
      return { type: char as HclTokenType, text: char, line, column };
    }
    if (char === '"') return { type: 'string', text: this.readString(), line, column };
    if (this.text.startsWith('<<', this.offset)) {
      return { type: 'heredoc', text: this.readHeredoc(), line, column };
    }
    const number = NUMBER.exec(this.text.slice(this.offset, this.offset + 64));
    if (number && (char === '-' || /\d/.test(char))) {
      this.advance(number[0].length);
      return { type: 'number', text: number[0], line, column };
    }
    if (IDENT_START.test(char)) {
      const start = this.offset;
      while (this.offset < this.text.length && IDENT_PART.test(this.text[this.offset] ?? '')) {
        this.advance(1);
      }
      const word = this.text.slice(start, this.offset);
      const type = word === 'true' || word === 'false' ? 'bool' : 'ident';
      return { type, text: word, line, column };
    }
    throw new HclSyntaxError(line, column, `illegal char ${JSON.stringify(char)}`);
  }

  private skipWhitespaceAndComments(): void {
    while (this.offset < this.text.length) {
      const char = this.text[this.offset] ?? '';
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\uFEFF') {
        this.advance(1);
      } else if (char === '#' || this.text.startsWith('//', this.offset)) {
        while (this.offset < this.text.length && this.text[this.offset] !== '\n') this.advance(1);
      } else if (this.text.startsWith('/*', this.offset)) {
        const end = this.text.indexOf('*/', this.offset + 2);
        if (end < 0) throw new HclSyntaxError(this.line, this.column, 'comment not terminated');
        this.advance(end + 2 - this.offset);
      } else {
        return;
      }
    }
  }

  private readString(): string {
    const { line, column } = this;
    this.advance(1);
    let result = '';
    for (;;) {
      const char = this.text[this.offset];
      if (char === undefined || char === '\n') {
        throw new HclSyntaxError(line, column, 'literal not terminated');
      }
      if (char === '"') {
        this.advance(1);
        return result;
      }
      if (char === '\\') {
        result += this.readEscape();
        continue;
      }
      result += char;
      this.advance(1);
    }
  }

  private readEscape(): string {
    const { line, column } = this;
    const kind = this.text[this.offset + 1] ?? '';
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined && Object.hasOwn(SIMPLE_ESCAPES, kind)) {
      this.advance(2);
      return simple;
    }
    const width = kind === 'u' ? 4 : kind === 'U' ? 8 : 0;
    const hex = this.text.slice(this.offset + 2, this.offset + 2 + width);
    const codePoint = Number.parseInt(hex, 16);
    if (
      width === 0 ||
      !/^[0-9a-fA-F]+$/.test(hex) ||
      hex.length !== width ||
      codePoint > 0x10ffff
    ) {
      throw new HclSyntaxError(line, column, 'unknown escape sequence');
    }
    this.advance(2 + width);
    return String.fromCodePoint(codePoint);
  }

  private readHeredoc(): string {
    const { line, column } = this;
    const header = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(
      this.text.slice(this.offset, this.offset + 256),
    );
    if (!header) throw new HclSyntaxError(line, column, 'invalid heredoc anchor');
    const [matched, indent, anchor] = header;
    this.advance(matched.length);
    const lines: string[] = [];
    while (this.offset < this.text.length) {
      let end = this.text.indexOf('\n', this.offset);
      if (end < 0) end = this.text.length;
      const current = this.text.slice(this.offset, end).replace(/\r$/, '');
      this.advance(Math.min(end + 1, this.text.length) - this.offset);
      if ((indent ? current.trim() : current) === anchor) {
        return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
      }
      lines.push(current);
    }
    throw new HclSyntaxError(line, column, 'heredoc not terminated');
  }

  private advance(count: number): void {
    for (let i = 0; i < count; i++) {
      if (this.text[this.offset] === '\n') {
        this.line++;
        this.column = 1;
      } else {
        this.column++;
      }
      this.offset++;
    }
  }
}
