/** One `KEY=value` assignment of a .env file, located by character offsets into the file's text. */
export interface EnvFileEntry {
  readonly key: string;
  /** 1-based line of the key. */
  readonly line: number;
  /** The value's characters are text.slice(valueStart, valueEnd): inside the quotes when quoted. */
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly quote?: '"' | "'" | '`';
  /** The value is the `[VAULT]` placeholder (already migrated). */
  readonly placeholder: boolean;
}

/** A .env file: its exact text, every assignment in order, and dotenv's values (last one wins). */
export interface ParsedEnvFile {
  readonly text: string;
  readonly entries: readonly EnvFileEntry[];
  readonly values: ReadonlyMap<string, string>;
}
