export type HclTokenType =
  'ident' | 'string' | 'heredoc' | 'number' | 'bool' | '=' | '{' | '}' | '[' | ']' | ',' | 'eof';

export interface HclToken {
  readonly type: HclTokenType;
  /** Decoded text: string contents without quotes and escapes, identifier or number text. */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}
