import { HclSyntaxError } from '../errors/hcl-syntax.error.js';
import type { HclItem, HclValue } from './hcl-node.interface.js';
import type { HclToken, HclTokenType } from './hcl-token.interface.js';
import { HclLexer } from './hcl.lexer.js';

/** Deeper nesting than any policy needs; keeps hostile input from exhausting the stack. */
const MAX_DEPTH = 64;

/** Parses HCL v1 text (the dialect of Vault policies) into its object list. */
export function parseHcl(text: string): HclItem[] {
  return new HclParser(new HclLexer(text).tokenize()).parseDocument();
}

class HclParser {
  private index = 0;

  constructor(private readonly tokens: readonly HclToken[]) {}

  parseDocument(): HclItem[] {
    const items = this.parseObjectList('eof', 0);
    this.expect('eof');
    return items;
  }

  private parseObjectList(end: HclTokenType, depth: number): HclItem[] {
    const items: HclItem[] = [];
    while (this.peek().type !== end) {
      items.push(this.parseObjectItem(depth));
      if (this.peek().type === ',') this.index++;
    }
    return items;
  }

  private parseObjectItem(depth: number): HclItem {
    const first = this.peek();
    const keys: string[] = [];
    while (this.peek().type === 'ident' || this.peek().type === 'string') {
      keys.push(this.take().text);
    }
    const next = this.peek();
    if (keys.length === 0) {
      throw this.error(next, `expected: IDENT | STRING got: ${describe(next)}`);
    }
    if (next.type === '=') {
      if (keys.length > 1) throw this.error(next, 'nested object expected: LBRACE got: ASSIGN');
      this.index++;
      return { keys, value: this.parseValue(depth), line: first.line, column: first.column };
    }
    if (next.type === '{') {
      return { keys, value: this.parseObject(depth), line: first.line, column: first.column };
    }
    throw this.error(
      next,
      `key '${keys.join(' ')}' expected start of object ('{') or assignment ('=')`,
    );
  }

  private parseValue(depth: number): HclValue {
    const token = this.peek();
    switch (token.type) {
      case 'string':
      case 'heredoc':
        this.index++;
        return { kind: 'string', value: token.text };
      case 'number':
        this.index++;
        return { kind: 'number', value: Number(token.text), text: token.text };
      case 'bool':
        this.index++;
        return { kind: 'bool', value: token.text === 'true' };
      case '[':
        return this.parseList(depth);
      case '{':
        return this.parseObject(depth);
      default:
        throw this.error(token, `Unknown token: ${describe(token)}`);
    }
  }

  private parseList(depth: number): HclValue {
    const open = this.enter(depth);
    const items: HclValue[] = [];
    while (this.peek().type !== ']') {
      items.push(this.parseValue(depth + 1));
      const separator = this.peek();
      if (separator.type === ',') {
        this.index++;
      } else if (separator.type !== ']') {
        throw this.error(
          separator,
          `literal not terminated; list started at ${open.line}:${open.column}`,
        );
      }
    }
    this.index++;
    return { kind: 'list', items };
  }

  private parseObject(depth: number): HclValue {
    this.enter(depth);
    const items = this.parseObjectList('}', depth + 1);
    this.expect('}');
    return { kind: 'object', items };
  }

  private enter(depth: number): HclToken {
    const open = this.take();
    if (depth >= MAX_DEPTH) throw this.error(open, 'nesting too deep');
    return open;
  }

  private expect(type: HclTokenType): HclToken {
    const token = this.peek();
    if (token.type !== type) throw this.error(token, `expected ${type} got: ${describe(token)}`);
    this.index++;
    return token;
  }

  private peek(): HclToken {
    return this.tokens[Math.min(this.index, this.tokens.length - 1)];
  }

  private take(): HclToken {
    const token = this.peek();
    this.index++;
    return token;
  }

  private error(token: HclToken, detail: string): HclSyntaxError {
    return new HclSyntaxError(token.line, token.column, detail);
  }
}

function describe(token: HclToken): string {
  return token.type === 'eof' ? 'EOF' : token.type.toUpperCase();
}
