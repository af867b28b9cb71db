import { describe, expect, it } from '@jest/globals';
import * as v from 'valibot';
import { z } from 'zod';
import { loadSchemaCheck } from './schema-validator.js';

const CANARY = 'canary-standard-schema-4d1e';

describe('loadSchemaCheck with a Standard Schema', () => {
  it('Zod: the schema’s keys, its coerced output, no failures', async () => {
    const check = await loadSchemaCheck(z.object({ PORT: z.coerce.number(), NAME: z.string() }));
    expect(check.properties).toEqual(['PORT', 'NAME']);
    const { values, failures } = await check.validate({ PORT: '8080', NAME: 'n', OTHER: 'o' });
    expect(failures).toEqual([]);
    expect([...values]).toEqual([
      ['PORT', 8080],
      ['NAME', 'n'],
    ]);
  });

  it('a custom message that quotes the value is replaced by the issue code', async () => {
    const schema = z.object({
      TOKEN: z
        .string()
        .refine(s => s.startsWith('hvs.'), { error: i => `bad token ${String(i.input)}` }),
    });
    const { failures } = await (await loadSchemaCheck(schema)).validate({ TOKEN: CANARY });
    expect(failures).toEqual([{ key: 'TOKEN', constraints: ['custom'] }]);
  });

  it('Valibot: "Received ..." is cut from the message; nested paths name the key with dots', async () => {
    const schema = v.object({
      URL: v.pipe(v.string(), v.url()),
      DB: v.object({ port: v.number() }),
    });
    const check = await loadSchemaCheck(schema);
    expect(check.properties).toEqual(['URL', 'DB']);
    const { failures } = await check.validate({ URL: CANARY, DB: { port: CANARY } });
    expect(failures).toEqual([
      { key: 'URL', constraints: ['Invalid URL'] },
      { key: 'DB.port', constraints: ['Invalid type: Expected number'] },
    ]);
    expect(JSON.stringify(failures)).not.toContain(CANARY);
  });

  it('an async schema: its Promise is awaited', async () => {
    const schema = v.objectAsync({
      A: v.pipeAsync(
        v.string(),
        v.checkAsync(async s => Promise.resolve(s.length > 3), 'too short'),
      ),
    });
    const check = await loadSchemaCheck(schema);
    expect(await check.validate({ A: 'ab' })).toEqual({
      values: new Map(),
      failures: [{ key: 'A', constraints: ['too short'] }],
    });
    expect([...(await check.validate({ A: 'abcd' })).values]).toEqual([['A', 'abcd']]);
  });
});
