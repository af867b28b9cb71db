import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './errors/cli-usage.error.js';

/** Options every command that talks to Vault accepts: how to log in. */
export const CONNECTION_OPTIONS = {
  auth: { type: 'string' },
  role: { type: 'string' },
  'auth-mount': { type: 'string' },
  'jwt-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

type ParsedValues<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>['values'];

/**
 * `parseArgs` in strict mode; its errors become one-line CliUsageErrors that name the option but
 * never echo what was typed after it (it may be a value).
 */
export function parseCommandArgs<T extends ParseArgsOptionsConfig>(
  command: string,
  args: readonly string[],
  options: T,
): ParsedValues<T> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliUsageError(describeParseError(error, 'file' in options), command);
  }
}

function describeParseError(error: unknown, takesFile: boolean): string {
  const code = (error as { code?: unknown }).code;
  // Not `instanceof Error`: parseArgs' errors may come from another realm (e.g. Jest's VM).
  const raw = (error as { message?: unknown }).message;
  const message = typeof raw === 'string' ? raw : '';
  const option = /'(-{1,2}[A-Za-z0-9][\w-]*)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      // Node.js acts on --env-file anywhere on its command line (before this code runs), so the
      // CLI names its file option differently; --env-file=x can still reach here through a wrapper.
      if (option === '--env-file' && takesFile) {
        return '--env-file is not an option of vault-config (Node.js takes it for itself): use --file <path> (or -f <path>)';
      }
      return option ? `unknown option ${option}` : 'unknown option';
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(message)) return `${option ?? 'an option'} needs a value`;
      return `${option ?? 'an option'} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument (every option starts with --)';
    default:
      return 'invalid arguments';
  }
}

/** `--only A,B --only C` → ['A', 'B', 'C']. */
export function listOption(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap(v => v.split(','))
    .map(v => v.trim())
    .filter(v => v !== '');
}
