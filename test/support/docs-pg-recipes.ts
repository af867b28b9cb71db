/**
 * The recipes of docs/pg.md as code to run: each ```ts group=pg-<name>``` block is written, as
 * printed, to `<tmp>/<group>/<file named by its first line>` next to a link to this repository's
 * node_modules, so the test imports it (ts-jest compiles and type-checks it) and boots it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Knex } from 'knex';
import type { Pool } from 'pg';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export const RECIPE_TABLE = 'recipe_rows';
const DOC = join(process.cwd(), 'docs/pg.md');
const BLOCK = /^```ts group=(pg-[\w-]+)\n\/\/ ([\w.-]+\.ts)\n([\s\S]*?)^```$/gm;

export interface Recipe {
  readonly group: string;
  readonly file: string;
  /** Where the block starts in docs/pg.md (1-based). */
  readonly line: number;
}

/** The recipe blocks of docs/pg.md, written to a temp folder; `cleanup()` removes it. */
export function writeRecipes(): {
  recipes: Recipe[];
  load(group: string): Promise<Record<string, unknown>>;
  cleanup(): void;
} {
  const markdown = readFileSync(DOC, 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'docs-pg-recipes-'));
  symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
  // ESM, as in a Nest 12 app (ts-jest compiles a file as its nearest package.json says).
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const recipes: Recipe[] = [];
  for (const m of markdown.matchAll(BLOCK)) {
    const [, group, file, rest] = m;
    mkdirSync(join(dir, group));
    writeFileSync(join(dir, group, file), `// ${file}\n${rest}`);
    recipes.push({ group, file, line: markdown.slice(0, m.index).split('\n').length });
  }
  return {
    recipes,
    load: group => {
      const recipe = recipes.find(r => r.group === group);
      if (!recipe) throw new Error(`docs/pg.md has no \`ts group=${group}\` block`);
      return import(join(dir, group, recipe.file)) as Promise<Record<string, unknown>>;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * What the test does through a recipe: read who it is logged in as; write in a transaction that
 * holds its connection 100 ms, so two writes at once need two connections.
 */
export interface RecipeDriver {
  currentUser(): Promise<string>;
  write(label: string): Promise<void>;
}

const INSERT = `INSERT INTO ${RECIPE_TABLE} (label) VALUES `;
const HOLD = 'SELECT pg_sleep(0.1)';

/** Each recipe's handle, as its module exports it, driven through its own library's API. */
export const DRIVERS: Record<
  string,
  (app: INestApplicationContext, exports: Record<string, unknown>) => RecipeDriver
> = {
  'pg-plain': (app, exports) => {
    const pool = app.get<Pool>(exports.DB as symbol);
    return {
      currentUser: async () =>
        (await pool.query<{ u: string }>('SELECT current_user AS u')).rows[0].u,
      write: async label => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`${INSERT} ($1)`, [label]);
          await client.query(HOLD);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
    };
  },
  'pg-typeorm': app => {
    const ds = app.get<DataSource>(getDataSourceToken());
    return {
      currentUser: async () =>
        (await ds.query<Array<{ u: string }>>('SELECT current_user AS u'))[0].u,
      write: label =>
        ds.transaction(async m => {
          await m.query(`${INSERT} ($1)`, [label]);
          await m.query(HOLD);
        }),
    };
  },
  'pg-drizzle': (app, exports) => {
    const db = app.get<NodePgDatabase>(exports.DRIZZLE as symbol);
    return {
      currentUser: async () =>
        (await db.execute<{ u: string }>(sql`SELECT current_user AS u`)).rows[0].u,
      write: async label => {
        await db.transaction(async tx => {
          await tx.execute(sql.raw(`${INSERT} ('${label}')`));
          await tx.execute(sql.raw(HOLD));
        });
      },
    };
  },
  'pg-knex': (app, exports) => knexDriver(app.get<Knex>(exports.KNEX as symbol)),
};

export function knexDriver(db: Knex): RecipeDriver {
  return {
    currentUser: async () =>
      (await db.raw<{ rows: Array<{ u: string }> }>('SELECT current_user AS u')).rows[0].u,
    write: async label => {
      await db.transaction(async trx => {
        await trx.raw(`${INSERT} (?)`, [label]);
        await trx.raw(HOLD);
      });
    },
  };
}
