/** One `KEY=value` assignment of a .env file, located by character offsets into the file's text. */
export interface EnvFileEntry {
  readonly key: string;
  /** 1-based line of the key. */
  readonly line: number;
  /** The value's characters are text.slice(valueStart, valueEnd): inside the quotes when quoted. */
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly quote?: '"' | "'" | '`';
  /**
   * Where a replacement of the value ends: `valueEnd`, or the end of the line when an unquoted `#`
   * touching the value cut it (`abc#def`: dotenv reads `abc`; `#def` is likely the rest of the
   * secret, so `--sanitize` replaces it too).
   */
  readonly replaceEnd: number;
  /** An unquoted `#` with no white space before it cut the value (dotenv reads only what precedes it). */
  readonly hashCut: boolean;
  /** The value is the `[VAULT]` placeholder (already migrated). */
  readonly placeholder: boolean;
}

/** A .env file: its exact text, every assignment in order, and dotenv's values (last one wins). */
export interface ParsedEnvFile {
  readonly text: string;
  readonly entries: readonly EnvFileEntry[];
  readonly values: ReadonlyMap<string, string>;
}
