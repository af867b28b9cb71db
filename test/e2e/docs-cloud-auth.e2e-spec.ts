/**
 * The cloud sections of docs/production-hardening.md (AWS, Google Cloud, Azure) as printed: their
 * shell blocks run with the OpenBao CLI as `vault` against the in-memory server (whose aws, gcp and
 * azure backends stand in for Vault's plugins; real clouds cannot be reached here), their
 * TypeScript blocks compile against the library, their YAML blocks parse.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { describeTargets, call } from '../support/contract-helpers.js';
import { findBaoBinary, startTarget, type VaultTarget } from '../support/vault-target.js';

const ROOT = process.cwd();
const GUIDE = readFileSync(join(ROOT, 'docs', 'production-hardening.md'), 'utf8');
const SECTIONS = ['### AWS:', '### Google Cloud:', '### Azure:'];

/** The fenced blocks of the cloud sections, in order. */
function cloudBlocks(): Array<{ lang: string; body: string; section: string }> {
  const start = GUIDE.indexOf(SECTIONS[0]);
  const end = GUIDE.indexOf('### Static tokens', start);
  const text = GUIDE.slice(start, end);
  const blocks: Array<{ lang: string; body: string; section: string }> = [];
  for (const m of text.matchAll(/```(\w+)[^\n]*\n([\s\S]*?)```/g)) {
    const before = text.slice(0, m.index);
    const section = SECTIONS.filter(s => before.includes(s)).at(-1) ?? '';
    blocks.push({ lang: m[1], body: m[2], section });
  }
  return blocks;
}

const blocks = cloudBlocks();
const bao = findBaoBinary();
const requireReal = process.env.VAULT_TEST_REQUIRE_REAL === '1';
const withBao = bao || requireReal ? it : it.skip;

describeTargets(
  'docs: cloud auth sections of production-hardening.md',
  kind => {
    let target: VaultTarget;
    let dir: string;
    beforeAll(async () => {
      target = await startTarget(kind);
      dir = mkdtempSync(join(tmpdir(), 'docs-cloud-'));
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await target?.stop();
    });

    it('has shell, TypeScript and YAML blocks for each of AWS, Google Cloud and Azure', () => {
      for (const section of SECTIONS) {
        const langs = new Set(blocks.filter(b => b.section === section).map(b => b.lang));
        expect([...langs].sort()).toEqual(['bash', 'ts', 'yaml']);
      }
    });

    withBao(
      'the shell blocks run as printed (vault = the OpenBao CLI) and leave the roles they write',
      async () => {
        if (!bao) throw new Error('VAULT_TEST_REQUIRE_REAL=1 but no bao binary was found');
        const bin = join(dir, 'bin');
        mkdirSync(bin);
        writeFileSync(join(bin, 'vault'), `#!/bin/sh\nexec "${bao}" "$@"\n`);
        chmodSync(join(bin, 'vault'), 0o755);
        const script = blocks
          .filter(b => b.lang === 'bash')
          .map(b => b.body)
          .join('\n');
        // Asynchronously: the server answering the CLI runs in this process.
        const run = await new Promise<{ status: number | null; stderr: string }>(resolve => {
          const child = spawn('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], {
            cwd: dir,
            stdio: ['ignore', 'ignore', 'pipe'],
            env: {
              PATH: `${bin}:${process.env.PATH ?? ''}`,
              HOME: dir,
              VAULT_ADDR: target.url,
              VAULT_TOKEN: target.rootToken,
            },
          });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', status => resolve({ status, stderr }));
        });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
        const roles = [...script.matchAll(/vault write (auth\/[\w-]+\/role\/[\w-]+)/g)].map(
          m => m[1],
        );
        expect(roles.length).toBeGreaterThanOrEqual(5);
        return Promise.all(
          roles.map(async path => expect((await call(target, 'GET', path)).status).toBe(200)),
        );
      },
    );

    it('the TypeScript blocks compile against the library', () => {
      const check = join(ROOT, 'tmp', `docs-cloud-${process.pid}`);
      mkdirSync(check, { recursive: true });
      try {
        const ts = blocks.filter(b => b.lang === 'ts');
        ts.forEach((b, i) => writeFileSync(join(check, `block-${i}.ts`), b.body));
        writeFileSync(
          join(check, 'tsconfig.json'),
          JSON.stringify({ extends: '../../tsconfig.json', include: ['*.ts'] }),
        );
        const tsc = spawnSync(
          process.execPath,
          [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', check],
          {
            encoding: 'utf8',
          },
        );
        expect({ status: tsc.status, out: tsc.stdout }).toEqual({ status: 0, out: '' });
        expect(ts).toHaveLength(3);
      } finally {
        rmSync(check, { recursive: true, force: true });
      }
    });

    it('the YAML blocks parse, each a ServiceAccount with the annotation its platform reads', () => {
      const annotations = blocks
        .filter(b => b.lang === 'yaml')
        .flatMap(b =>
          parseAllDocuments(b.body).map(
            d => d.toJS() as Record<string, Record<string, Record<string, string>>>,
          ),
        )
        .map(doc => {
          expect(doc.kind).toBe('ServiceAccount');
          return Object.keys(doc.metadata.annotations);
        });
      expect(annotations).toEqual([
        ['eks.amazonaws.com/role-arn'],
        ['iam.gke.io/gcp-service-account'],
        ['azure.workload.identity/client-id'],
      ]);
    });
  },
  ['memory'],
);
