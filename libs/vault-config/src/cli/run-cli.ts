import type { CliCommand } from './cli-command.interface.js';
import type { CliIo } from './cli-io.interface.js';
import { CLI_NAME, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli.constants.js';
import { doctorCommand } from './commands/doctor.command.js';
import { migrateCommand } from './commands/migrate.command.js';
import { policyCommand } from './commands/policy.command.js';
import { rotateCommand } from './commands/rotate.command.js';
import { CliUsageError } from './errors/cli-usage.error.js';
import { jsonLine } from './json-line.js';
import { describeError, errorName } from '../errors/describe-error.js';
import { safeText } from '../utils/safe-text.js';

const MAX_MESSAGE_LENGTH = 2000;

const COMMANDS: ReadonlyMap<string, CliCommand> = new Map(
  [migrateCommand, rotateCommand, doctorCommand, policyCommand].map(c => [c.name, c]),
);

const HELP = `Usage: ${CLI_NAME} <command> [options]

Moves secrets from .env files into HashiCorp Vault / OpenBao (KV v2), checks that an app can read
them and prints the policy it needs, with the same VAULT_* environment and options as the
nestjs-vault-config module.
Never prints a secret value or a token.

Commands:
${[...COMMANDS.values()].map(c => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

Run "${CLI_NAME} <command> --help" for its options.
Exit codes: 0 ok, 1 failure, 2 usage error.`;

const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

/**
 * Runs `vault-config <command> ...` and resolves with the exit code: 0 ok, 1 failure (the
 * library's error message, which never holds a value or a token), 2 usage error. Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr.write(`${CLI_NAME}: missing command\n\n${HELP}\n`);
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = args[0] !== undefined ? COMMANDS.get(args[0]) : undefined;
    io.stdout.write(`${topic ? topic.help : HELP}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.get(name);
  if (!command) {
    const shown = /^[a-z][a-z-]{0,30}$/.test(name) ? ` "${name}"` : '';
    io.stderr.write(`${CLI_NAME}: unknown command${shown}; see ${CLI_NAME} --help\n`);
    return EXIT_USAGE;
  }
  if (wantsHelp(args)) {
    io.stdout.write(`${command.help}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    const usage = error instanceof CliUsageError;
    // One line, whatever it quotes (a key name from Vault, a file name from the command line).
    const message = safeText(usage ? error.message : describeError(error), MAX_MESSAGE_LENGTH);
    if (args.includes('--json')) {
      const code = (error as { code?: unknown }).code;
      io.stdout.write(
        jsonLine({
          command: command.name,
          ok: false,
          error: {
            name: usage ? 'CliUsageError' : errorName(error),
            ...(typeof code === 'string' && !usage ? { code } : {}),
            message,
          },
        }),
      );
    }
    io.stderr.write(
      usage
        ? `${CLI_NAME} ${command.name}: ${message}; see ${CLI_NAME} ${command.name} --help\n`
        : `${CLI_NAME} ${command.name}: ${message}\n`,
    );
    return usage ? EXIT_USAGE : EXIT_FAILURE;
  }
}
