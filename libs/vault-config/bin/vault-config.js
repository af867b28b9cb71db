#!/usr/bin/env node
// The `vault-config` command. It lives outside dist/ so that npm links it into node_modules/.bin
// even when the package is installed before it is built (a workspace after `npm ci`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  console.error('vault-config: dist/cli.js is missing; build the package first (npm run build).');
  process.exitCode = 1;
}
