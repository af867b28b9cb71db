import type { CliCommand } from '../cli-command.interface.js';
import type { CliIo } from '../cli-io.interface.js';
import { CLI_NAME, EXIT_OK } from '../cli.constants.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { jsonLine } from '../json-line.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { readOptionsFile } from '../read-options-file.js';
import { readPolicyOptions } from '../../policy/read-policy-options.js';
import { policyFor } from '../../policy/vault-policy-for.js';

const NAME = 'policy';

const OPTIONS = {
  config: { type: 'string' },
  name: { type: 'string' },
  env: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: ${CLI_NAME} policy --config <options.json> [--name <policy>] [--env <env> ...]

Prints the smallest Vault / OpenBao ACL policy (HCL) that lets the module do everything the
options ask for (the same as vaultPolicyFor(options)): the source reads, KV v2 metadata with
refresh.useMetadata, lease and token renewal, the token's lookup (health), and the revocations of
revokeOnShutdown. Enough on its own: give it to a role with token_no_default_policy = true. Each
block's comment names the option it serves. Needs no Vault, address or credential.

Options:
  --config <file>     a JSON file with module options: { "sources", "env", "auth": { "method" },
                      "refresh", "renewToken", "revokeOnShutdown", ... } (what doctor --config reads)
  --name <policy>     the policy's name, for the install line in the header
  --env <env>         replace {env} with this environment (repeatable: one block per environment);
                      default the file's "env", else NODE_ENV, else development
  --json              print one JSON object { ok, name, environments, rules, policy }
  -h, --help          show this help

Exit codes: 0 printed, 1 the options are wrong (each named), 2 usage error.
Install: ${CLI_NAME} policy --config app.json --name billing > billing.hcl
         bao policy write billing billing.hcl   (or vault policy write)`;

const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseCommandArgs(NAME, args, OPTIONS);
  if (flags.config === undefined)
    throw new CliUsageError('--config <options.json> is required', NAME);
  if (flags.name !== undefined && !POLICY_NAME.test(flags.name)) {
    throw new CliUsageError('--name must be a policy name: letters, digits, ".", "_" or "-"', NAME);
  }
  const raw = await readOptionsFile(io, flags.config, NAME);
  const environments = flags.env ?? [];
  const perEnvironment = environments.length
    ? environments.map(env => readPolicyOptions({ ...raw, env }, io.env))
    : [readPolicyOptions(raw, io.env)];
  const { hcl, rules } = policyFor(perEnvironment, flags.name);
  if (flags.json) {
    io.stdout.write(
      jsonLine({
        command: NAME,
        ok: true,
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        environments: perEnvironment.map(p => p.env),
        rules,
        policy: hcl,
      }),
    );
  } else {
    io.stdout.write(hcl);
  }
  return EXIT_OK;
}

export const policyCommand: CliCommand = {
  name: NAME,
  summary: 'print the smallest Vault policy (HCL) the module needs for these options',
  help: HELP,
  run,
};
