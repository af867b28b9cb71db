import { describe, expect, it } from '@jest/globals';
import * as v from 'valibot';
import { z } from 'zod';
import type { SecretsOf } from '../interfaces/secrets-of.interface.js';
import type { SecretsService } from './secrets.service.js';

// Compile-time checks: ts-jest and `npm run typecheck` fail when a type below is wrong.
type Equal<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(): T => true as T;

const _zodSchema = z.object({ PORT: z.coerce.number(), DATABASE_URL: z.url() });
const _valibotSchema = v.object({
  PORT: v.pipe(v.string(), v.transform(Number)),
  DEBUG: v.optional(v.boolean()),
});
class _ClassSchema {
  JWT_SECRET!: string;
}

declare const zod: SecretsService<SecretsOf<typeof _zodSchema>>;
declare const valibot: SecretsService<SecretsOf<typeof _valibotSchema>>;
declare const classBased: SecretsService<SecretsOf<typeof _ClassSchema>>;

const _zodPort = () => zod.get('PORT');
const _zodUrl = () => zod.getOrThrow('DATABASE_URL');
const _valibotPort = () => valibot.get('PORT');
const _valibotDebug = () => valibot.get('DEBUG');
const _classSecret = () => classBased.getOrThrow('JWT_SECRET');

describe('SecretsOf<typeof schema>', () => {
  it('Zod: the output type after coercion (z.coerce.number() is a number)', () => {
    expect(expectType<Equal<ReturnType<typeof _zodPort>, number | undefined>>()).toBe(true);
    expect(expectType<Equal<ReturnType<typeof _zodUrl>, string>>()).toBe(true);
    // @ts-expect-error: PORT is a number after coercion, not a string
    const wrong: () => string | undefined = _zodPort;
    // @ts-expect-error: not a key of the schema
    const unknownKey = () => zod.get('NOT_IN_SCHEMA');
    expect([typeof wrong, typeof unknownKey]).toEqual(['function', 'function']);
  });

  it('Valibot: the output type after transform, optional keys included', () => {
    expect(expectType<Equal<ReturnType<typeof _valibotPort>, number | undefined>>()).toBe(true);
    expect(expectType<Equal<ReturnType<typeof _valibotDebug>, boolean | undefined>>()).toBe(true);
  });

  it('a class: its instance type', () => {
    expect(expectType<Equal<ReturnType<typeof _classSecret>, string>>()).toBe(true);
  });
});
