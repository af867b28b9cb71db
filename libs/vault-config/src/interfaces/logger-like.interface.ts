/** Shape of Nest's `Logger` (and `console`); the library never logs a value or a token. */
export interface LoggerLike {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}
