import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import type { SecretsService } from './secrets.service.js';

// Compile-time checks: ts-jest and `npm run typecheck` fail when a type below is wrong.
type Equal<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(): T => true as T;

class BillingSecrets {
  DATABASE_URL!: string;
  PORT!: number;
}

declare const untyped: SecretsService;
declare const fromAppGet: SecretsService<object>; // what app.get(SecretsService) infers
declare const typed: SecretsService<BillingSecrets>;

const _untypedGet = () => untyped.get('JWT_SECRET');
const _untypedGetOrThrow = () => untyped.getOrThrow('JWT_SECRET');
const _inferredGetOrThrow = () => fromAppGet.getOrThrow('JWT_SECRET');
const _typedPort = () => typed.getOrThrow('PORT');
const _typedUrl = () => typed.get('DATABASE_URL');
// The README's use: a secret as an HMAC key compiles as it is.
const _hmac = () => createHmac('sha256', untyped.getOrThrow('JWT_SECRET')).digest('hex');

describe('SecretsService types', () => {
  it('without a schema: get() is string | undefined, getOrThrow() is string (never {} or unknown)', () => {
    expect(expectType<Equal<ReturnType<typeof _untypedGet>, string | undefined>>()).toBe(true);
    expect(expectType<Equal<ReturnType<typeof _untypedGetOrThrow>, string>>()).toBe(true);
    expect(expectType<Equal<ReturnType<typeof _inferredGetOrThrow>, string>>()).toBe(true);
    expect(expectType<Equal<ReturnType<typeof _hmac>, string>>()).toBe(true);
  });

  it('with a schema: the property types, and only its keys', () => {
    expect(expectType<Equal<ReturnType<typeof _typedPort>, number>>()).toBe(true);
    expect(expectType<Equal<ReturnType<typeof _typedUrl>, string | undefined>>()).toBe(true);
    // @ts-expect-error: not a property of the schema
    const unknownKey = () => typed.get('NOT_IN_SCHEMA');
    expect(typeof unknownKey).toBe('function');
  });
});
