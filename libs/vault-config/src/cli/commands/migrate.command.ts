import { relative, resolve } from 'node:path';
import { safeText } from '../../utils/safe-text.js';
import { normalizeVaultPath } from '../../options/path-template.js';
import type { CliCommand } from '../cli-command.interface.js';
import type { CliIo } from '../cli-io.interface.js';
import {
  cliVaultConnectionHelp,
  resolveCliOptions,
  withVaultSession,
} from '../cli-vault-connection.js';
import {
  CLI_NAME,
  DEFAULT_ENV_FILE,
  DEFAULT_MOUNT,
  EXIT_FAILURE,
  EXIT_OK,
} from '../cli.constants.js';
import { confirmApply } from '../confirm.js';
import { envFileWarnings } from '../env-file/env-file-warnings.js';
import { loadDotenvParse } from '../env-file/load-dotenv-parse.js';
import { processUser } from '../env-file/file-owner.js';
import { parseEnvFile } from '../env-file/parse-env-file.js';
import { readEnvFile } from '../env-file/read-env-file.js';
import { assertCanReplace, replaceEnvFile } from '../env-file/replace-env-file.js';
import { sanitizeEnvFile } from '../env-file/sanitize-env-file.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { jsonLine } from '../json-line.js';
import { Kv2SecretStore } from '../kv/kv2-secret-store.js';
import { rollBack, writeVerified } from '../kv/write-verified.js';
import { formatMigrationPlan } from '../migrate/format-migration-plan.js';
import { planMigration, type MigrationMode } from '../migrate/migration-plan.js';
import { placeholderWarnings } from '../migrate/placeholder-warnings.js';
import { selectMigrationKeys } from '../migrate/select-migration-keys.js';
import { CONNECTION_OPTIONS, listOption, parseCommandArgs } from '../parse-command-args.js';

const NAME = 'migrate';

const OPTIONS = {
  file: { type: 'string', short: 'f' },
  mount: { type: 'string' },
  path: { type: 'string' },
  'dry-run': { type: 'boolean' },
  sanitize: { type: 'boolean' },
  only: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  merge: { type: 'boolean' },
  replace: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  ...CONNECTION_OPTIONS,
} as const;

const HELP = `Usage: ${CLI_NAME} migrate --path <path> [options]

Copies the values of a .env file into one KV v2 secret, with check-and-set, then reads them back
and verifies every key. With --sanitize it then backs the file up and replaces each migrated value
with [VAULT], keeping comments, order and every other line byte for byte. Never prints a value.
Running it again changes nothing. On any error Vault and the file are left as they were.
VAULT_* and NODE_ENV never move; well-known non-secret settings (PORT, HOST, LOG_LEVEL, TZ,
NODE_OPTIONS, ...) stay in the file unless --only names them. The plan says for every key whether
it moves and why. Warns (key and line, never the value) about an unquoted # that cuts a value and
about a key assigned twice.

Options:
  -f, --file <file>   the .env file (default: ${DEFAULT_ENV_FILE}); not --env-file, which
                      Node.js takes for itself
  --mount <mount>     KV v2 mount (default: ${DEFAULT_MOUNT})
  --path <path>       secret path inside the mount, e.g. apps/billing/dev (required)
  --dry-run           print the plan; send no request that writes
  --sanitize          after a verified write: back up the file to <file>.backup.YYYYMMDD_HHMMSS
                      (mode 0600) and replace migrated values with [VAULT]; both keep the file's
                      owner and group (as root; as another user than its owner: refused)
  --only <K,...>      migrate only these keys (repeatable); may name a non-secret setting
  --exclude <K,...>   leave these keys out (repeatable)
  --merge             keep keys that only Vault has (default)
  --replace           write exactly the file's (selected) keys; keys only in Vault are removed
  -y, --yes           do not ask "Apply? [y/N]" (needed when stdin is not a terminal)
  --json              print one JSON object (plan, result, version, backup) instead of text
${cliVaultConnectionHelp}
  -h, --help          show this help

Exit codes: 0 done or nothing to change, 1 failed or not applied, 2 usage error.`;

function parseFlags(args: readonly string[]) {
  const flags = parseCommandArgs(NAME, args, OPTIONS);
  if (flags.path === undefined) throw new CliUsageError('--path is required', NAME);
  const path = normalizeVaultPath(flags.path);
  if (!path) throw new CliUsageError('--path must be a path such as apps/billing/dev', NAME);
  const mount = normalizeVaultPath(flags.mount ?? DEFAULT_MOUNT);
  if (!mount) throw new CliUsageError('--mount must be a mount path such as secret', NAME);
  if (flags.merge && flags.replace) {
    throw new CliUsageError('--merge and --replace cannot be used together', NAME);
  }
  if (flags.json && !flags.yes && !flags['dry-run']) {
    throw new CliUsageError('--json needs --yes or --dry-run (it never prompts)', NAME);
  }
  const mode: MigrationMode = flags.replace ? 'replace' : 'merge';
  return {
    ...flags,
    path,
    mount,
    mode,
    only: listOption(flags.only),
    exclude: listOption(flags.exclude),
  };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const resolved = resolveCliOptions(NAME, flags, io.env);
  const file = flags.file ?? DEFAULT_ENV_FILE;
  const shownAs = safeText(file, 300);
  const dotenvParse = await loadDotenvParse();
  const content = await readEnvFile(resolve(io.cwd, file), shownAs);
  const parsed = parseEnvFile(content.text, shownAs, dotenvParse);
  const { keys, stay } = selectMigrationKeys(
    [...new Set(parsed.entries.map(e => e.key))],
    flags.only,
    flags.exclude,
    NAME,
  );
  const warnings = [
    ...envFileWarnings(parsed, shownAs),
    ...placeholderWarnings(parsed, stay, shownAs),
  ];
  const where = `${flags.mount}/${flags.path}`;
  const text = (line: string) => {
    if (!flags.json) io.stdout.write(`${line}\n`);
  };
  if (!flags.json) {
    for (const w of warnings) io.stderr.write(`${CLI_NAME} ${NAME}: warning: ${w.message}.\n`);
  }
  const notes: string[] = [];

  return withVaultSession(resolved, async ({ client }) => {
    const store = new Kv2SecretStore(client, flags.mount, flags.path);
    await store.assertKv2();
    const current = await store.read();
    const plan = planMigration(keys, parsed.values, current, flags.mode);
    const toSanitize = flags.sanitize ? plan.migrated : [];
    // Computed (and checked with dotenv) before anything is written.
    const sanitized = toSanitize.length
      ? sanitizeEnvFile(parsed, new Set(toSanitize), shownAs, dotenvParse)
      : undefined;

    const report = {
      command: NAME,
      ok: true,
      mount: flags.mount,
      path: flags.path,
      envFile: file,
      mode: flags.mode,
      dryRun: flags['dry-run'] === true,
      plan: {
        add: plan.add,
        change: plan.change,
        keep: plan.keep,
        keepOnlyInVault: plan.vaultOnly,
        remove: plan.remove,
        alreadyPlaceholders: plan.placeholders,
        missingPlaceholders: plan.missingPlaceholders,
        empty: plan.empty,
        stay,
        writesVault: plan.writesVault,
        sanitize: toSanitize,
      },
      warnings: warnings.map(({ kind, key, lines, message }) => ({ kind, key, lines, message })),
      result: 'nothing-to-change' as 'nothing-to-change' | 'dry-run' | 'applied' | 'declined',
      previousVersion: current.exists ? current.version : null,
      version: current.exists ? current.version : null,
      verifiedKeys: 0,
      backup: null as string | null,
      sanitized: [] as string[],
    };
    const finish = (code: number) => {
      if (flags.json) io.stdout.write(jsonLine(report));
      return code;
    };

    text(
      `Plan for ${where} from ${shownAs} (${flags.mode}; Vault ` +
        `${current.exists ? `version ${current.version}` : 'has no such secret yet'}):`,
    );
    for (const line of formatMigrationPlan(plan, stay)) text(line);
    text(
      plan.writesVault
        ? `Vault: write a new version (${plan.add.length} to add, ${plan.change.length} to change, ${plan.remove.length} to remove).`
        : 'Vault: nothing to change.',
    );
    if (flags.sanitize) {
      text(
        sanitized
          ? `File: back up ${shownAs}, then replace ${toSanitize.length} value(s) with [VAULT].`
          : `File: nothing to replace.`,
      );
    }

    if (!plan.writesVault && !sanitized) {
      text('Nothing to change.');
      return finish(EXIT_OK);
    }
    if (flags['dry-run']) {
      report.result = 'dry-run';
      text('Dry run: nothing was written.');
      return finish(EXIT_OK);
    }
    if (sanitized) await assertCanReplace(content, shownAs, io.user ?? processUser());
    if (!flags.yes && !(await confirmApply(io, NAME))) {
      report.result = 'declined';
      report.ok = false;
      text('Not applied; nothing was changed.');
      return finish(EXIT_FAILURE);
    }

    let version = current.version;
    if (plan.writesVault) {
      version = await writeVerified(store, current, plan.next, note => notes.push(note)).catch(
        (error: unknown) => {
          for (const note of notes) io.stderr.write(`${note}\n`);
          throw error;
        },
      );
      report.version = version;
      text(
        `Wrote ${where} version ${version}` +
          (current.exists ? ` (was ${current.version})` : '') +
          `; read back and verified ${plan.next.size} key(s).`,
      );
    }
    report.verifiedKeys = plan.next.size;
    report.result = 'applied';

    if (sanitized) {
      let backup: string;
      try {
        backup = await replaceEnvFile(
          content,
          sanitized,
          (io.now ?? (() => new Date()))(),
          shownAs,
        );
      } catch (failure) {
        if (plan.writesVault) {
          io.stderr.write(`${await rollBack(store, current, version, failure)}\n`);
        }
        throw failure;
      }
      const shownBackup = relative(io.cwd, backup).startsWith('..')
        ? backup
        : relative(io.cwd, backup);
      report.backup = shownBackup;
      report.sanitized = toSanitize;
      text(`Backed up ${shownAs} to ${shownBackup} (mode 0600).`);
      text(`Replaced ${toSanitize.length} value(s) in ${shownAs} with [VAULT].`);
    }
    return finish(EXIT_OK);
  });
}

export const migrateCommand: CliCommand = {
  name: NAME,
  summary: 'copy a .env file into a KV v2 secret (check-and-set, verified), optionally sanitize it',
  help: HELP,
  run,
};
