/**
 * A throw-away PKI for the cert-auth suites, made with the `openssl` CLI: a CA, a client
 * certificate it signs (clientAuth, with key ids), a server certificate for 127.0.0.1, and an
 * unrelated CA with a client certificate of its own (the untrusted one). Keys live in a temp dir.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificateFiles {
  /** PEM file paths. */
  readonly certFile: string;
  readonly keyFile: string;
  /** PEM text. */
  readonly cert: string;
  readonly key: string;
}

export interface TestPki {
  readonly dir: string;
  readonly ca: CertificateFiles;
  readonly client: CertificateFiles;
  readonly server: CertificateFiles;
  readonly otherCa: CertificateFiles;
  /** Signed by `otherCa`: Vault must refuse it. */
  readonly untrustedClient: CertificateFiles;
  remove(): void;
}

const openssl = (dir: string, args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

const files = (dir: string, name: string): CertificateFiles => ({
  certFile: join(dir, `${name}.pem`),
  keyFile: join(dir, `${name}.key`),
  cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
  key: readFileSync(join(dir, `${name}.key`), 'utf8'),
});

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
}

function makeLeaf(dir: string, name: string, ca: string, cn: string, ext: string): void {
  writeFileSync(
    join(dir, `${name}.ext`),
    `${ext}\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n`,
  );
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${cn}`,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    '1',
    '-extfile',
    `${name}.ext`,
  ]);
}

/** A certificate's key ids as `openssl x509` prints them, in Vault's form (`aa:bb:…`). */
export function keyIdsOf(certFile: string): { subjectKeyId: string; authorityKeyId: string } {
  const read = (ext: string) =>
    execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-ext', ext], { encoding: 'utf8' })
      .split('\n')[1]
      .trim()
      .replace(/^keyid:/, '')
      .toLowerCase();
  return {
    subjectKeyId: read('subjectKeyIdentifier'),
    authorityKeyId: read('authorityKeyIdentifier'),
  };
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'test-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(dir, 'client', 'ca', 'billing.client', 'extendedKeyUsage=clientAuth');
  makeLeaf(dir, 'untrusted', 'other-ca', 'billing.client', 'extendedKeyUsage=clientAuth');
  makeLeaf(dir, 'server', 'ca', '127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  return {
    dir,
    ca: files(dir, 'ca'),
    client: files(dir, 'client'),
    server: files(dir, 'server'),
    otherCa: files(dir, 'other-ca'),
    untrustedClient: files(dir, 'untrusted'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
