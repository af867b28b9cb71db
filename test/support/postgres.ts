/**
 * A throw-away PostgreSQL cluster for tests that need a real database behind Vault's `database`
 * secrets engine: initdb into a fresh temp dir, password (SCRAM) auth only, listening on 127.0.0.1
 * on a free port, unix socket inside the temp dir; stopped with `pg_ctl -m fast` and deleted.
 *
 * Binaries come from $PG_BIN_DIR, PATH or /usr/lib/postgresql/<version>/bin (scripts/install-postgres.sh).
 * Without them the suites that need PostgreSQL skip visibly (a named skipped test, see
 * `describeDatabaseTargets`), unless VAULT_TEST_REQUIRE_POSTGRES=1 (CI), which makes them fail.
 * PostgreSQL refuses to run as root: as uid 0 the server-side commands run as the `postgres` OS
 * user via `runuser`, which then owns the data directory.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { describe, it } from '@jest/globals';
import { freePort, selectedTargets, type TargetKind } from './vault-target.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
  readonly psql: string;
  /** Set when we are root: the OS user the server runs as. */
  readonly runAs?: { readonly name: string; readonly uid: number; readonly gid: number };
}

export interface PostgresServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly superuser: string;
  /** Generated per cluster; not enumerable, so inspecting or serialising the server omits it. */
  readonly password: string;
  /** For Vault's `connection_url`: the credentials stay templated. */
  readonly connectionUrl: string;
  /** Runs one statement as the superuser over TCP; answers psql's unaligned, tuples-only output. */
  query(sql: string): Promise<string>;
  /** Whether `user`/`password` can open a session over TCP with password auth. */
  canLogin(user: string, password: string): Promise<boolean>;
  roleExists(name: string): Promise<boolean>;
  /** Idempotent. */
  stop(): Promise<void>;
}

const SUPERUSER = 'vault_admin';
const DATABASE = 'postgres';
const COMMAND_TIMEOUT_MS = 15_000;

/**
 * Where the PostgreSQL binaries are, or undefined when this machine has none (or, as root, has no
 * `postgres` user to run them as). With VAULT_TEST_REQUIRE_POSTGRES=1 a miss throws instead.
 */
export function findPostgres(): PostgresBinaries | undefined {
  const found = locate();
  if (!found.binaries && process.env.VAULT_TEST_REQUIRE_POSTGRES === '1') {
    throw new Error(`VAULT_TEST_REQUIRE_POSTGRES=1 but ${found.reason}`);
  }
  return found.binaries;
}

/**
 * `describe.each` over the selected targets for a suite that needs a real database behind every
 * target but the in-memory one. A target left out for want of PostgreSQL shows as a skipped test
 * naming why (never a silent filter); with VAULT_TEST_REQUIRE_POSTGRES=1 `findPostgres` throws.
 */
export function describeDatabaseTargets(title: string, body: (kind: TargetKind) => void): void {
  const kinds = selectedTargets();
  const havePostgres = kinds.every(kind => kind === 'memory') || findPostgres() !== undefined;
  const runnable = kinds.filter(kind => kind === 'memory' || havePostgres);
  for (const kind of kinds.filter(k => !runnable.includes(k))) {
    const skipped = () => it.skip('needs PostgreSQL (install-postgres.sh)', () => undefined);
    describe.skip(title.replace('%s', kind), skipped);
  }
  if (runnable.length) describe.each(runnable)(title, body);
}

function locate(): { binaries?: PostgresBinaries; reason: string } {
  const dir = binDirCandidates().find(
    d => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')),
  );
  if (!dir) return { reason: 'no initdb/pg_ctl found (run scripts/install-postgres.sh)' };
  const psql = [join(dir, 'psql'), onPath('psql')].find(p => p && existsSync(p));
  if (!psql) return { reason: `no psql next to ${dir} or on PATH` };
  const binaries = { initdb: join(dir, 'initdb'), pgCtl: join(dir, 'pg_ctl'), psql };
  if (process.getuid?.() !== 0) return { binaries, reason: '' };
  const uid = idOf('-u');
  const gid = idOf('-g');
  if (uid === undefined || gid === undefined || !onPath('runuser')) {
    return { reason: 'running as root without a `postgres` OS user and runuser' };
  }
  return { binaries: { ...binaries, runAs: { name: 'postgres', uid, gid } }, reason: '' };
}

function binDirCandidates(): string[] {
  const dirs: string[] = [];
  if (process.env.PG_BIN_DIR) dirs.push(process.env.PG_BIN_DIR);
  const initdb = onPath('initdb');
  if (initdb) dirs.push(initdb.replace(/\/initdb$/, ''));
  const versioned = '/usr/lib/postgresql';
  if (existsSync(versioned)) {
    const versions = readdirSync(versioned)
      .filter(v => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) dirs.push(join(versioned, v, 'bin'));
  }
  return dirs;
}

function onPath(command: string): string | undefined {
  const res = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = res.stdout.trim();
  return res.status === 0 && path.startsWith('/') ? path : undefined;
}

function idOf(flag: '-u' | '-g'): number | undefined {
  const res = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const n = Number(res.stdout.trim());
  return res.status === 0 && Number.isInteger(n) ? n : undefined;
}

/** Starts a fresh cluster; the caller must `stop()` it. */
export async function startPostgres(binaries = findPostgres()): Promise<PostgresServer> {
  if (!binaries) throw new Error('PostgreSQL binaries not found (run scripts/install-postgres.sh)');
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const password = randomBytes(18).toString('base64url');
  const owned = (path: string) => {
    if (binaries.runAs) chownSync(path, binaries.runAs.uid, binaries.runAs.gid);
  };
  const asServer = (file: string, args: string[]) =>
    binaries.runAs
      ? run('runuser', ['-u', binaries.runAs.name, '--', file, ...args])
      : run(file, args);

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopNow);
    // Last resort when a test run dies without calling stop(): never leave a server behind.
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      if (binaries.runAs)
        spawnSync('runuser', ['-u', binaries.runAs.name, '--', binaries.pgCtl, ...args]);
      else spawnSync(binaries.pgCtl, args);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);

  try {
    owned(dir);
    const pwFile = join(dir, 'pwfile');
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    owned(pwFile);
    await asServer(binaries.initdb, [
      '-D',
      dataDir,
      '-U',
      SUPERUSER,
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    rmSync(pwFile);
    const port = await startOnFreePort(dataDir, dir, logFile, asServer, binaries.pgCtl);
    const server: Omit<PostgresServer, 'password'> = {
      host: '127.0.0.1',
      port,
      superuser: SUPERUSER,
      connectionUrl: `postgresql://{{username}}:{{password}}@127.0.0.1:${port}/${DATABASE}?sslmode=disable`,
      query: sql => psql(binaries.psql, port, SUPERUSER, password, sql),
      canLogin: async (user, pw) => {
        try {
          return (await psql(binaries.psql, port, user, pw, 'SELECT current_user')) === user;
        } catch {
          return false;
        }
      },
      roleExists: async name =>
        (await psql(
          binaries.psql,
          port,
          SUPERUSER,
          password,
          `SELECT count(*) FROM pg_roles WHERE rolname = ${sqlLiteral(name)}`,
        )) === '1',
      stop: async () => {
        if (stopped) return;
        try {
          await asServer(binaries.pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '10', 'stop']);
        } finally {
          stopNow();
        }
      },
    };
    Object.defineProperty(server, 'password', { value: password, enumerable: false });
    return server as PostgresServer;
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    stopNow();
    throw new Error(`PostgreSQL did not start: ${(err as Error).message}${log ? `\n${log}` : ''}`, {
      cause: err,
    });
  }
}

/** The port can be taken between probing and binding; try a fresh one a few times. */
async function startOnFreePort(
  dataDir: string,
  socketDir: string,
  logFile: string,
  asServer: (file: string, args: string[]) => Promise<string>,
  pgCtl: string,
): Promise<number> {
  const conf = join(dataDir, 'postgresql.conf');
  const base = readFileSync(conf, 'utf8');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    writeFileSync(conf, base);
    appendFileSync(
      conf,
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${socketDir}'`,
        // A disposable cluster: durability buys nothing and costs start-up and statement time.
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 30',
        'shared_buffers = 16MB',
        '',
      ].join('\n'),
    );
    try {
      await asServer(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '10', 'start']);
      return port;
    } catch (err) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      if (attempt >= 3 || !/could not bind|already in use/i.test(log)) throw err;
    }
  }
}

function psql(
  bin: string,
  port: number,
  user: string,
  password: string,
  sql: string,
): Promise<string> {
  const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];
  args.push('-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', DATABASE, '-c', sql);
  // The password travels in the child's environment only: never in argv, never in an error.
  return run(bin, args, {
    PGPASSWORD: password,
    PGCONNECT_TIMEOUT: '5',
    PGSSLMODE: 'disable',
  }).then(out => out.trim());
}

/** Runs a command; rejects with its exit status and stderr (which never holds a password). */
function run(file: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('PG')) env[k] = v;
  }
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: { ...env, ...extraEnv }, timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const command = (file === 'runuser' ? String(args[3]) : file).split('/').pop();
        const status = err.killed ? 'timed out' : `exit ${String(err.code)}`;
        reject(new Error(`${command} ${status}: ${stderr.trim().slice(0, 1000)}`));
      },
    );
  });
}

/** A SQL string literal (standard_conforming_strings is on by default). */
export function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
