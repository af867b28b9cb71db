import type { CliIo } from './cli-io.interface.js';

/** One `vault-config <name>` command. */
export interface CliCommand {
  readonly name: string;
  /** One line for `vault-config --help`. */
  readonly summary: string;
  /** The full `vault-config <name> --help` text. */
  readonly help: string;
  /** Resolves with the exit code; throws CliUsageError (exit 2) or a library error (exit 1). */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
