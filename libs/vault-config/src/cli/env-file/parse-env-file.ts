import { VAULT_PLACEHOLDER } from '../../options/vault-config-options.defaults.js';
import { EnvFileError } from '../errors/env-file.error.js';
import type { EnvFileEntry, ParsedEnvFile } from './env-file-entry.interface.js';
import type { DotenvParse } from './load-dotenv-parse.js';

interface Line {
  start: number;
  /** End of the content, before the line break. */
  end: number;
}

interface Located extends EnvFileEntry {
  /** The entry's text from its first line's start to its last line's end. */
  readonly blockStart: number;
  readonly blockEnd: number;
}

const QUOTES = new Set(['"', "'", '`']);
// Horizontal white space as dotenv's \s sees it (a leading BOM included), without line breaks.
const SPACE = /[^\S\r\n]/;
const INDENT = /^[^\S\r\n]*/;
const ASSIGNMENT = /^(export[^\S\r\n]+)?([\w.-]+)(?:[^\S\r\n]*=|:(?=[^\S\r\n]))/;
const AFTER_CLOSING_QUOTE = /^[^\S\r\n]*(#.*)?$/;

/** Lines split the way dotenv splits them: \r\n, \r and \n all end a line. */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    lines.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  if (start < text.length) lines.push({ start, end: text.length });
  return lines;
}

/**
 * Locates every assignment of a .env file so that its value can be replaced in place, and checks
 * the result against dotenv itself: a file dotenv would read differently from this scanner is
 * refused rather than guessed at. Errors give the line number and at most the key, never content.
 */
export function parseEnvFile(text: string, file: string, dotenvParse: DotenvParse): ParsedEnvFile {
  const lines = splitLines(text);
  const located: Located[] = [];
  const fail = (line: number, reason: string): never => {
    throw new EnvFileError({ file, line, reason });
  };
  for (let i = 0; i < lines.length;) {
    const line = lines[i];
    const content = text.slice(line.start, line.end);
    const indent = (INDENT.exec(content) as RegExpExecArray)[0].length;
    const rest = content.slice(indent);
    if (rest === '' || rest.startsWith('#')) {
      i++;
      continue;
    }
    const assignment = ASSIGNMENT.exec(rest);
    if (!assignment) fail(i + 1, 'is not a KEY=value assignment, a comment or a blank line');
    const key = (assignment as RegExpExecArray)[2];
    if (key === '__proto__') fail(i + 1, 'the key __proto__ is not allowed');
    let p = line.start + indent + (assignment as RegExpExecArray)[0].length;
    while (p < line.end && SPACE.test(text[p])) p++;
    const quote = text[p];
    if (quote !== undefined && p < line.end && QUOTES.has(quote)) {
      const close = findClosingQuote(text, p + 1, quote);
      if (close < 0) fail(i + 1, `the quoted value of ${key} has no closing ${quote}`);
      let last = i;
      while (lines[last].end < close) last++;
      const lastLine = lines[last];
      if (!AFTER_CLOSING_QUOTE.test(text.slice(close + 1, lastLine.end))) {
        fail(
          i + 1,
          `the quoted value of ${key} is not closed properly (text follows its closing ${quote}` +
            (last !== i ? ` on line ${last + 1})` : ')'),
        );
      }
      located.push({
        key,
        line: i + 1,
        valueStart: p + 1,
        valueEnd: close,
        quote: quote as '"' | "'" | '`',
        replaceEnd: close,
        hashCut: false,
        placeholder: false,
        blockStart: line.start,
        blockEnd: lastLine.end,
      });
      i = last + 1;
    } else {
      const hash = text.indexOf('#', p);
      const commented = hash >= 0 && hash < line.end;
      let end = commented ? hash : line.end;
      while (end > p && SPACE.test(text[end - 1])) end--;
      // `a #note` is a comment; `a#b` or `=#b` is a value dotenv cuts (it reads `a`, or nothing).
      const hashCut = commented && !SPACE.test(text[hash - 1]);
      located.push({
        key,
        line: i + 1,
        valueStart: p,
        valueEnd: end,
        replaceEnd: hashCut ? line.end : end,
        hashCut,
        placeholder: false,
        blockStart: line.start,
        blockEnd: line.end,
      });
      i++;
    }
  }
  return crossCheck(text, file, located, dotenvParse);
}

/** Index of the quote closing a value opened just before `from`; `\<quote>` is escaped. -1 if none. */
function findClosingQuote(text: string, from: number, quote: string): number {
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\' && text[j + 1] === quote) j++;
    else if (ch === quote) return j;
  }
  return -1;
}

function crossCheck(
  text: string,
  file: string,
  located: Located[],
  dotenvParse: DotenvParse,
): ParsedEnvFile {
  const whole = dotenvParse(text);
  const values = new Map<string, string>();
  for (const key of Object.keys(whole)) values.set(key, whole[key]);
  const lastIndex = new Map<string, number>();
  located.forEach((e, index) => lastIndex.set(e.key, index));
  const differs = (line: number, key: string): never => {
    throw new EnvFileError({
      file,
      line,
      reason: `dotenv reads the value of ${key} differently from how it looks; quote it plainly`,
    });
  };
  const entries = located.map((e, index): EnvFileEntry => {
    const alone = dotenvParse(text.slice(e.blockStart, e.blockEnd));
    const aloneKeys = Object.keys(alone);
    if (aloneKeys.length !== 1 || aloneKeys[0] !== e.key) differs(e.line, e.key);
    const value = alone[e.key];
    if (lastIndex.get(e.key) === index && values.get(e.key) !== value) differs(e.line, e.key);
    return {
      key: e.key,
      line: e.line,
      valueStart: e.valueStart,
      valueEnd: e.valueEnd,
      replaceEnd: e.replaceEnd,
      hashCut: e.hashCut,
      ...(e.quote ? { quote: e.quote } : {}),
      placeholder: value.trim() === VAULT_PLACEHOLDER,
    };
  });
  if (values.size !== lastIndex.size || [...values.keys()].some(k => !lastIndex.has(k))) {
    const extra = [...values.keys()].find(k => !lastIndex.has(k));
    throw new EnvFileError({
      file,
      reason: `dotenv finds ${extra !== undefined ? `the key ${extra}` : 'assignments'} where this scanner does not; check the quoting`,
    });
  }
  return { text, entries, values };
}
