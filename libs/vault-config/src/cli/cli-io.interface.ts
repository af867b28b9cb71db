import type { ProcessUser } from './env-file/file-owner.js';

/** Where the CLI writes: `process.stdout`/`process.stderr`, or a string buffer in tests. */
export interface CliOutput {
  write(chunk: string): unknown;
}

/** Everything the CLI reads from or writes to the outside, so tests can run it in-process. */
export interface CliIo {
  /** The VAULT_* variables (and NODE_ENV) are read from here, never from process.env directly. */
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Relative file names (e.g. `--file .env`) resolve against this directory. */
  readonly cwd: string;
  /**
   * Asks a question and resolves with the answer line. Default (undefined): a prompt on
   * process.stdin when it is a TTY. `null`, or no TTY: there is no one to ask, so writing
   * commands need `--yes`.
   */
  readonly prompt?: ((question: string) => Promise<string>) | null;
  /** Names backups; default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Who runs the command: decides whether `migrate --sanitize` can give the rewritten file its
   * owner and group. Default: this process's effective user and groups.
   */
  readonly user?: ProcessUser;
}
