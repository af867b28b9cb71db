/** The command line is wrong (exit code 2); the message is one line and never echoes a value. */
export class CliUsageError extends Error {
  readonly command?: string;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'CliUsageError';
    if (command !== undefined) this.command = command;
  }
}
