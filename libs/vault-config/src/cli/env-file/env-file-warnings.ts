import type { ParsedEnvFile } from './env-file-entry.interface.js';

export type EnvFileWarningKind = 'hash-cuts-value' | 'duplicate-key' | 'placeholder-never-filled';

/** Something in a .env file that dotenv reads differently from how it looks. Never holds a value. */
export interface EnvFileWarning {
  readonly kind: EnvFileWarningKind;
  readonly key: string;
  /** 1-based lines of the assignments concerned. */
  readonly lines: readonly number[];
  /** `<file>, line N: ...`: names the file, the line(s) and the key, never the value. */
  readonly message: string;
}

const listed = (lines: readonly number[]) =>
  lines.length === 2
    ? `${lines[0]} and ${lines[1]}`
    : `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;

/**
 * Warnings about a parsed .env file, in line order: an unquoted `#` touching a value (dotenv cuts
 * the value there, `abc#def` reads `abc`; a `#` after white space is an ordinary comment) and a
 * key assigned more than once (dotenv, Node's --env-file and @nestjs/config use the last one).
 */
export function envFileWarnings(parsed: ParsedEnvFile, file: string): EnvFileWarning[] {
  const warnings: EnvFileWarning[] = [];
  const linesOf = new Map<string, number[]>();
  for (const entry of parsed.entries) {
    linesOf.set(entry.key, [...(linesOf.get(entry.key) ?? []), entry.line]);
    if (!entry.hashCut) continue;
    const empty = entry.valueStart === entry.valueEnd;
    warnings.push({
      kind: 'hash-cuts-value',
      key: entry.key,
      lines: [entry.line],
      message: empty
        ? `${file}, line ${entry.line}: an unquoted # right after = makes the value of ` +
          `${entry.key} empty for dotenv (and so for the app): it does not move. If the # belongs ` +
          'to the value, put the value in quotes'
        : `${file}, line ${entry.line}: an unquoted # cuts the value of ${entry.key}: dotenv (and ` +
          'so the app) reads only the part before it, and that part is what moves; --sanitize ' +
          'replaces the rest of the line too. If the # belongs to the value, put the value in ' +
          'quotes first',
    });
  }
  for (const [key, lines] of linesOf) {
    if (lines.length < 2) continue;
    const last = lines[lines.length - 1];
    warnings.push({
      kind: 'duplicate-key',
      key,
      lines,
      message:
        `${file}, lines ${listed(lines)}: ${key} is assigned ${lines.length} times; dotenv (and ` +
        `so the app) uses only the last one, line ${last}: that is the value migrate reads, and ` +
        '--sanitize replaces every one of them',
    });
  }
  return warnings.sort((a, b) => a.lines[0] - b.lines[0]);
}
