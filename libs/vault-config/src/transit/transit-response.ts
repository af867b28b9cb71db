import { VaultResponseError } from '../errors/vault-response.error.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { isObject } from '../utils/is-object.js';
import type { TransitBatchResult } from './interfaces/transit-options.interface.js';
import { decodeBase64 } from './transit-encoding.js';
import { itemFailure } from './transit-failure.js';
import type { TransitTarget } from './transit-target.js';
import { VERSIONED_VALUE } from './transit.constants.js';

// Vault's answers are untrusted: each reader checks the shape it relies on and names the path and
// field, never the value it found.

/** Reads one field of an answer (or of one batch result); undefined when its shape is wrong. */
export type FieldReader<T> = (record: Record<string, unknown>) => T | undefined;

export const versionedField =
  (field: string): FieldReader<string> =>
  record => {
    const value = record[field];
    return typeof value === 'string' && VERSIONED_VALUE.test(value) ? value : undefined;
  };

export const base64Field =
  (field: string): FieldReader<Buffer> =>
  record => {
    const value = record[field];
    return typeof value === 'string' ? decodeBase64(value) : undefined;
  };

export const booleanField =
  (field: string): FieldReader<boolean> =>
  record => {
    const value = record[field];
    return typeof value === 'boolean' ? value : undefined;
  };

const EXPECTED: Record<string, string> = {
  ciphertext: 'a vault:v<N>: ciphertext',
  plaintext: 'base64',
  hmac: 'a vault:v<N>: HMAC',
  signature: 'a vault:v<N>: signature',
  valid: 'a boolean',
};

function wrongShape(res: VaultResponse, target: TransitTarget, what: string): VaultResponseError {
  return new VaultResponseError({ path: target.path, status: res.status, reason: what });
}

function dataOf(res: VaultResponse, target: TransitTarget): Record<string, unknown> {
  const body = res.body;
  if (!isObject(body)) throw wrongShape(res, target, 'the body is not a JSON object');
  if (!isObject(body.data)) throw wrongShape(res, target, '"data" is not an object');
  return body.data;
}

/** The field of a single (non-batch) success answer. */
export function readSingle<T>(
  res: VaultResponse,
  target: TransitTarget,
  field: string,
  read: FieldReader<T>,
): T {
  const value = read(dataOf(res, target));
  if (value === undefined) {
    throw wrongShape(res, target, `data.${field} is not ${EXPECTED[field] ?? 'as expected'}`);
  }
  return value;
}

/** Whether an answer carries batch results (encrypt and decrypt answer 400 with them on item errors). */
export function hasBatchResults(res: VaultResponse): boolean {
  return (
    isObject(res.body) && isObject(res.body.data) && Array.isArray(res.body.data.batch_results)
  );
}

/** `data.batch_results`: one result per input, in order; per-item errors typed. */
export function readBatch<T>(
  res: VaultResponse,
  target: TransitTarget,
  count: number,
  field: string,
  read: FieldReader<T>,
  secrets: readonly string[],
): TransitBatchResult<T>[] {
  const results = dataOf(res, target).batch_results;
  if (!Array.isArray(results) || results.length !== count) {
    throw wrongShape(res, target, `data.batch_results is not a list of ${count} result(s)`);
  }
  return results.map((result, index): TransitBatchResult<T> => {
    if (!isObject(result)) {
      throw wrongShape(res, target, `data.batch_results[${index}] is not an object`);
    }
    if (typeof result.error === 'string' && result.error !== '') {
      return { ok: false, error: itemFailure(result.error, index, target, secrets) };
    }
    const value = read(result);
    if (value === undefined) {
      throw wrongShape(
        res,
        target,
        `data.batch_results[${index}].${field} is not ${EXPECTED[field] ?? 'as expected'}`,
      );
    }
    return { ok: true, value };
  });
}
