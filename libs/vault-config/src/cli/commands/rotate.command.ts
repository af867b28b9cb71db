import { randomBytes } from 'node:crypto';
import { normalizeVaultPath } from '../../options/path-template.js';
import type { CliCommand } from '../cli-command.interface.js';
import {
  cliVaultConnectionHelp,
  resolveCliOptions,
  withVaultSession,
} from '../cli-vault-connection.js';
import { CLI_NAME, DEFAULT_MOUNT, EXIT_OK } from '../cli.constants.js';
import { VaultResponseError } from '../../errors/vault-response.error.js';
import { formatAge, parseAgeThreshold } from '../age-threshold.js';
import type { CliIo } from '../cli-io.interface.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { jsonLine } from '../json-line.js';
import { KvKeyMissingError } from '../errors/kv-key-missing.error.js';
import type { Kv2Secret } from '../kv/kv2-secret.interface.js';
import { Kv2SecretStore } from '../kv/kv2-secret-store.js';
import { writeVerified } from '../kv/write-verified.js';
import { CONNECTION_OPTIONS, parseCommandArgs } from '../parse-command-args.js';

const NAME = 'rotate';
const MIN_BYTES = 16;
const MAX_BYTES = 1024;
const DEFAULT_BYTES = 32;
const ENCODINGS = new Set(['base64url', 'hex']);

const OPTIONS = {
  mount: { type: 'string' },
  path: { type: 'string' },
  key: { type: 'string' },
  bytes: { type: 'string' },
  encoding: { type: 'string' },
  create: { type: 'boolean' },
  'if-older-than': { type: 'string' },
  ...CONNECTION_OPTIONS,
} as const;

const HELP = `Usage: ${CLI_NAME} rotate --path <path> --key <KEY> [options]

Replaces one key of a KV v2 secret with a new random value (crypto.randomBytes), keeping every
other key, with check-and-set so a concurrent change is never overwritten; reads it back to verify.
Prints the new version, never the value.

Options:
  --mount <mount>       KV v2 mount (default: ${DEFAULT_MOUNT})
  --path <path>         secret path inside the mount (required)
  --key <KEY>           the key to rotate (required)
  --bytes <n>           random bytes, ${MIN_BYTES} to ${MAX_BYTES} (default: ${DEFAULT_BYTES})
  --encoding <enc>      base64url (default) or hex
  --create              allow a key (or secret) that does not exist yet
  --if-older-than <age> rotate only when the current version is at least this old (30d, 12h,
                        90m, 45s; 0s: always); otherwise print its age and write nothing
                        (exit 0), so cron or a Kubernetes CronJob can run it as often as it likes
  --json                print one JSON object instead of text
${cliVaultConnectionHelp}
  -h, --help            show this help

Exit codes: 0 rotated (or fresh enough with --if-older-than), 1 failed (nothing changed),
2 usage error.`;

function parseFlags(args: readonly string[]) {
  const flags = parseCommandArgs(NAME, args, OPTIONS);
  if (flags.path === undefined) throw new CliUsageError('--path is required', NAME);
  if (flags.key === undefined) throw new CliUsageError('--key is required', NAME);
  const path = normalizeVaultPath(flags.path);
  if (!path) throw new CliUsageError('--path must be a path such as apps/billing/dev', NAME);
  const mount = normalizeVaultPath(flags.mount ?? DEFAULT_MOUNT);
  if (!mount) throw new CliUsageError('--mount must be a mount path such as secret', NAME);
  if (!/^[\w.-]{1,256}$/.test(flags.key)) {
    throw new CliUsageError('--key must be letters, digits, "_", "." or "-"', NAME);
  }
  const bytes = flags.bytes === undefined ? DEFAULT_BYTES : Number(flags.bytes);
  if (!Number.isInteger(bytes) || bytes < MIN_BYTES || bytes > MAX_BYTES) {
    throw new CliUsageError(`--bytes must be an integer from ${MIN_BYTES} to ${MAX_BYTES}`, NAME);
  }
  const encoding = flags.encoding ?? 'base64url';
  if (!ENCODINGS.has(encoding)) {
    throw new CliUsageError('--encoding must be base64url or hex', NAME);
  }
  const olderThan = flags['if-older-than'];
  return {
    ...flags,
    path,
    mount,
    key: flags.key,
    bytes,
    encoding: encoding as 'base64url' | 'hex',
    olderThanS: olderThan === undefined ? undefined : parseAgeThreshold(olderThan, NAME),
  };
}

/** Seconds since the current version was written; undefined when the key is not there yet. */
function ageOf(current: Kv2Secret, key: string, dataPath: string, io: CliIo): number | undefined {
  if (!current.exists || !current.data.has(key)) return undefined;
  const created = current.createdTime === undefined ? NaN : Date.parse(current.createdTime);
  if (Number.isNaN(created)) {
    throw new VaultResponseError({
      path: dataPath,
      status: 200,
      reason: 'the current version has no created_time, so its age is unknown',
    });
  }
  const now = (io.now ?? (() => new Date()))().getTime();
  return Math.max(0, (now - created) / 1000);
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const resolved = resolveCliOptions(NAME, flags, io.env);
  const where = `${flags.mount}/${flags.path}`;
  return withVaultSession(resolved, async ({ client }) => {
    const store = new Kv2SecretStore(client, flags.mount, flags.path);
    await store.assertKv2();
    const current = await store.read();
    if (!flags.create && !current.exists) {
      throw new KvKeyMissingError({
        mount: flags.mount,
        path: flags.path,
        hint: 'pass --create to create it',
      });
    }
    if (!flags.create && !current.data.has(flags.key)) {
      throw new KvKeyMissingError({
        mount: flags.mount,
        path: flags.path,
        key: flags.key,
        hint: 'pass --create to add it',
      });
    }
    const threshold = flags.olderThanS;
    const age = threshold === undefined ? undefined : ageOf(current, flags.key, store.dataPath, io);
    const ageFields =
      threshold === undefined
        ? {}
        : { ageSeconds: age === undefined ? null : Math.floor(age), olderThanSeconds: threshold };
    if (threshold !== undefined && threshold > 0 && age !== undefined && age < threshold) {
      io.stdout.write(
        flags.json
          ? jsonLine({
              command: NAME,
              ok: true,
              rotated: false,
              mount: flags.mount,
              path: flags.path,
              key: flags.key,
              version: current.version,
              ...ageFields,
            })
          : `${flags.key} at ${where} is fresh: version ${current.version} is ${formatAge(age)} old, ` +
              `under the ${formatAge(threshold)} threshold; nothing written\n`,
      );
      return EXIT_OK;
    }
    const next = new Map(current.data);
    next.set(flags.key, randomBytes(flags.bytes).toString(flags.encoding));
    const notes: string[] = [];
    const version = await writeVerified(store, current, next, note => notes.push(note)).catch(
      (error: unknown) => {
        for (const note of notes) io.stderr.write(`${note}\n`);
        throw error;
      },
    );
    const previous = current.exists ? current.version : null;
    if (flags.json) {
      io.stdout.write(
        jsonLine({
          command: NAME,
          ok: true,
          mount: flags.mount,
          path: flags.path,
          key: flags.key,
          previousVersion: previous,
          version,
          created: !current.data.has(flags.key),
          bytes: flags.bytes,
          encoding: flags.encoding,
          ...(threshold === undefined ? {} : { rotated: true, ...ageFields }),
        }),
      );
    } else {
      const why =
        threshold === undefined || age === undefined
          ? ''
          : ` (version ${current.version} was ${formatAge(age)} old; threshold ${formatAge(threshold)})`;
      io.stdout.write(
        `Rotated ${flags.key} at ${where}: version ${previous ?? 'none'} → ${version}${why}\n`,
      );
    }
    return EXIT_OK;
  });
}

export const rotateCommand: CliCommand = {
  name: NAME,
  summary: 'replace one key of a KV v2 secret with a new random value (check-and-set)',
  help: HELP,
  run,
};
