import { resolve } from 'node:path';
import { VaultConfigOptionsError } from '../../errors/vault-config-options.error.js';
import type { ResolvedVaultConfigOptions } from '../../options/resolved-vault-config-options.interface.js';
import type { CliCommand } from '../cli-command.interface.js';
import type { CliIo } from '../cli-io.interface.js';
import { prepareVaultSession, type PreparedVaultSession } from '../../client/vault-session.js';
import { cliVaultConnectionHelp, resolveCliOptions } from '../cli-vault-connection.js';
import { CLI_NAME, DEFAULT_MOUNT, EXIT_FAILURE, EXIT_OK } from '../cli.constants.js';
import { isTlsErrorCode } from '../../utils/tls-error-code.js';
import { checkAddress } from '../doctor/address.check.js';
import { checkClusterAddresses, type AddressRows } from '../doctor/cluster-address.check.js';
import { checkAppPolicy } from '../doctor/app-policy.check.js';
import { checkAuth } from '../doctor/auth.check.js';
import type { DoctorCheck } from '../doctor/doctor-check.interface.js';
import type { DoctorFocus } from '../doctor/doctor-focus.js';
import { formatDoctorTable } from '../doctor/format-doctor-table.js';
import { checkSources } from '../doctor/source-access.check.js';
import { checkTls } from '../doctor/tls.check.js';
import { jsonLine } from '../json-line.js';
import { readRegularFile } from '../read-regular-file.js';
import { safeText } from '../../utils/safe-text.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { describeError } from '../../errors/describe-error.js';
import { CONNECTION_OPTIONS, parseCommandArgs } from '../parse-command-args.js';
import { revokeLoginToken, type RevokeOutcome } from '../revoke-login-token.js';

const NAME = 'doctor';
const MAX_CONFIG_BYTES = 1024 * 1024;

const OPTIONS = {
  mount: { type: 'string', multiple: true },
  path: { type: 'string', multiple: true },
  config: { type: 'string' },
  'for-app': { type: 'boolean' },
  'for-cli': { type: 'boolean' },
  address: { type: 'string', multiple: true },
  ...CONNECTION_OPTIONS,
} as const;

const HELP = `Usage: ${CLI_NAME} doctor [--path <path> ...] [--config <file.json>] [options]

Checks what the module will meet at boot, and prints a table CHECK / STATUS (ok, warn, fail) /
DETAIL / FIX: the address (sys/health), TLS, authentication, the token's TTL (can the module renew
it or log in again?) and policies, and for every source path whether the token may read it (and the
KV v2 metadata, when refresh.useMetadata is set), whether it exists, and whether migrate/rotate may
write it (sys/capabilities-self; a read-only token is reported, not warned about, unless --for-cli).
A token doctor logged in for (--auth approle / kubernetes) is revoked before it exits. Never prints
a value or a token.
With several addresses (a cluster), one row per address: active, standby, sealed or unreachable;
the checks after them go through the failover the module uses.

Options:
  --address <url>     a Vault address (repeatable: the nodes of one cluster, in order); wins
                      over "address" in --config and over VAULT_ADDR
  --path <path>       a source path (repeatable), e.g. apps/billing/dev
  --mount <mount>     its mount (default: ${DEFAULT_MOUNT}); give one for all paths or one per --path
  --config <file>     a JSON file with module options: { "sources": [{ "mount", "path", ... }],
                      "env", "address", "namespace", "auth", "tls", "refresh", ... } as
                      VaultConfigModule takes
  --for-app           check only what the running app needs (read; metadata read with
                      refresh.useMetadata); no write rows; and compare the token's policy with
                      the one "${CLI_NAME} policy" prints: a missing path fails (with the block
                      to add), a broader one warns (sys/capabilities-self)
  --for-cli           also require what migrate and rotate need: a read-only token warns
  --json              print one JSON object { ok, checks: [...] } instead of the table
${cliVaultConnectionHelp}
  -h, --help          show this help

Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 usage error.`;

async function readConfig(io: CliIo, file: string): Promise<Record<string, unknown>> {
  const shown = safeText(file, 300);
  const read = await readRegularFile(resolve(io.cwd, file), MAX_CONFIG_BYTES);
  if (!read.ok) throw new CliUsageError(`--config ${shown} ${read.reason}`, NAME);
  const text = read.bytes.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliUsageError(`--config ${shown} is not valid JSON`, NAME);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliUsageError(`--config ${shown} must hold a JSON object`, NAME);
  }
  return parsed as Record<string, unknown>;
}

function sourcesFromFlags(mounts: string[], paths: string[]): Record<string, unknown>[] {
  if (mounts.length > 1 && mounts.length !== paths.length) {
    throw new CliUsageError('give one --mount for all paths, or one per --path', NAME);
  }
  if (mounts.length && !paths.length) throw new CliUsageError('--mount needs --path', NAME);
  return paths.map((path, i) => ({ mount: mounts[i] ?? mounts[0] ?? DEFAULT_MOUNT, path }));
}

async function runChecks(
  resolved: ResolvedVaultConfigOptions,
  focus: DoctorFocus,
): Promise<DoctorCheck[]> {
  let session: PreparedVaultSession;
  try {
    session = await prepareVaultSession(resolved);
  } catch (error) {
    return [
      {
        check: 'tls',
        status: 'fail',
        detail: describeError(error),
        fix: 'fix VAULT_CACERT / tls options',
      },
    ];
  }
  const checks: DoctorCheck[] = [];
  try {
    await checksWithSession(session, resolved, focus, checks);
  } finally {
    const logout = logoutCheck(await revokeLoginToken(session));
    if (logout) checks.push(logout);
    await session.close();
  }
  return checks;
}

/** The row for the token doctor logged in for (none when the user gave the token). */
function logoutCheck(outcome: RevokeOutcome): DoctorCheck | undefined {
  if ('error' in outcome) {
    return {
      check: 'logout',
      status: 'warn',
      detail: `the token doctor logged in for was not revoked (${outcome.error})`,
      fix: 'it expires at its TTL; allow auth/token/revoke-self (the default policy does)',
    };
  }
  if (!outcome.revoked) return undefined;
  return {
    check: 'logout',
    status: 'ok',
    detail: "doctor's login token revoked (auth/token/revoke-self)",
    fix: '-',
  };
}

async function checksWithSession(
  session: PreparedVaultSession,
  resolved: ResolvedVaultConfigOptions,
  focus: DoctorFocus,
  checks: DoctorCheck[],
): Promise<void> {
  const { client } = session;
  const address = await checkAddresses(resolved, session);
  checks.push(...address.checks, checkTls(resolved, address.tlsErrorCode));
  const notChecked = (what: string): DoctorCheck => ({
    check: what,
    status: 'fail',
    detail: 'not checked: Vault cannot be used',
    fix: 'fix the rows above first',
  });
  if (!address.usable) {
    checks.push(notChecked('auth'));
    return;
  }
  const auth = await checkAuth(client, resolved, session.auth, focus);
  checks.push(...auth.checks);
  if (!auth.authenticated) return;
  if (resolved.sources.length === 0) {
    checks.push({
      check: 'sources',
      status: 'warn',
      detail: 'no source paths given: only the connection was checked',
      fix: 'pass --path (and --mount), or --config with "sources"',
    });
    return;
  }
  const useMetadata = resolved.refresh?.useMetadata === true;
  checks.push(...(await checkSources(client, resolved.sources, { focus, useMetadata })));
  if (focus === 'app') checks.push(...(await checkAppPolicy(client, resolved)));
}

/** One row for one address; one per address, each node asked on its own, for several. */
async function checkAddresses(
  resolved: ResolvedVaultConfigOptions,
  session: PreparedVaultSession,
): Promise<AddressRows> {
  const addresses = resolved.addresses ?? [];
  if (addresses.length > 1) return checkClusterAddresses(resolved, addresses);
  const one = await checkAddress(session.client);
  const tls = isTlsErrorCode(one.errorCode) ? { tlsErrorCode: one.errorCode } : {};
  return { checks: [one.check], usable: one.usable, ...tls };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseCommandArgs(NAME, args, OPTIONS);
  if (flags['for-app'] && flags['for-cli']) {
    throw new CliUsageError('--for-app and --for-cli are mutually exclusive', NAME);
  }
  const focus: DoctorFocus = flags['for-app'] ? 'app' : flags['for-cli'] ? 'cli' : 'all';
  const config = flags.config !== undefined ? await readConfig(io, flags.config) : {};
  const fromFlags = sourcesFromFlags(flags.mount ?? [], flags.path ?? []);
  // A malformed "sources" in the file is passed on as it is: the options check reports it.
  const sources = Array.isArray(config.sources)
    ? [...(config.sources as unknown[]), ...fromFlags]
    : (config.sources ?? fromFlags);
  const addresses = flags.address ?? [];
  const extra = {
    ...config,
    sources,
    ...(addresses.length ? { address: addresses.length === 1 ? addresses[0] : addresses } : {}),
  };

  let checks: DoctorCheck[];
  try {
    checks = await runChecks(resolveCliOptions(NAME, flags, io.env, extra), focus);
  } catch (error) {
    if (!(error instanceof VaultConfigOptionsError)) throw error;
    checks = [
      {
        check: 'options',
        status: 'fail',
        detail: error.message,
        fix: 'set VAULT_ADDR (and VAULT_TOKEN or --auth), or fix the --config file',
      },
    ];
  }
  const ok = checks.every(c => c.status !== 'fail');
  if (flags.json) {
    io.stdout.write(jsonLine({ command: NAME, ok, checks }));
  } else {
    io.stdout.write(`${formatDoctorTable(checks)}\n`);
    const failed = checks.filter(c => c.status === 'fail').length;
    const warned = checks.filter(c => c.status === 'warn').length;
    io.stdout.write(
      `\n${failed ? `${failed} check(s) failed` : 'Nothing failed'}` +
        `${warned ? `, ${warned} warning(s)` : ''}.\n`,
    );
  }
  return ok ? EXIT_OK : EXIT_FAILURE;
}

export const doctorCommand: CliCommand = {
  name: NAME,
  summary: 'check address, TLS, auth, token TTL and access to every source path; suggest fixes',
  help: HELP,
  run,
};
