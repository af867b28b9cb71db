#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { VaultTestServer } from './vault-test-server.js';

const HELP = `Usage: vault-test-server [options]

An in-memory, Vault-compatible HTTP server on 127.0.0.1, for tests and local development.

Options:
  --port <n>          port to listen on (default 8200; 0 picks a free port)
  --root-token <t>    root token (default: root)
  --seed <file>       seed document (.json, .yaml or .yml)
  --latency-ms <n>    delay added to every /v1 request
  --audit-file <f>    enable a file audit device writing to <f>
  -h, --help          show this help

Runs until SIGINT or SIGTERM.`;

function fail(message: string): never {
  console.error(`vault-test-server: ${message}\n\n${HELP}`);
  process.exit(2);
}

function toInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'root-token': { type: 'string' },
        seed: { type: 'string' },
        'latency-ms': { type: 'string' },
        'audit-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = toInt('port', values.port, 8200);
  if (port > 65535) fail('--port must be at most 65535');
  const server = await VaultTestServer.start({
    port,
    rootToken: values['root-token'] ?? 'root',
    seed: values.seed,
    latencyMs: toInt('latency-ms', values['latency-ms'], 0),
    auditFile: values['audit-file'],
  });
  console.log(`Vault test server listening on ${server.url}`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`vault-test-server: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
