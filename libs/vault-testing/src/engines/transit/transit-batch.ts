import { VaultHttpError } from '../../http/vault-http.error.js';
import type { VaultResult } from '../../http/vault-result.interface.js';
import { isPlainObject, safeRecord, type SafeRecord } from '../../util/safe-object.js';
import { decodeGoBase64 } from './go-base64.js';
import { TransitItemError } from './transit-key.js';

/** A Go error as Vault's HTTP layer prints an internal one (a go-multierror). */
export const internalError = (message: string): VaultHttpError =>
  new VaultHttpError(500, [`1 error occurred:\n\t* ${message}\n\n`]);

/** The items of a request: `batch_input`, or the body itself as the only item. */
export interface TransitItems {
  readonly batch: boolean;
  readonly items: readonly SafeRecord[];
}

export function readItems(body: SafeRecord): TransitItems {
  const raw = body.batch_input;
  if (raw === undefined || raw === null) return { batch: false, items: [body] };
  if (!Array.isArray(raw)) {
    throw internalError(
      `failed to parse batch input: source data must be an array or slice, got ${goType(raw)}`,
    );
  }
  if (raw.length === 0) throw VaultHttpError.badRequest('missing batch input to process');
  raw.forEach((item, i) => {
    if (!isPlainObject(item)) {
      throw internalError(
        `failed to parse batch input: [${i}] expected a map, got '${goType(item)}'`,
      );
    }
  });
  return { batch: true, items: raw as SafeRecord[] };
}

/**
 * A string field of an item. A single request converts numbers and booleans as Vault's field parser
 * does; in `batch_input` anything but a string fails the whole request, as Vault's decoder does.
 */
export function textField(items: TransitItems, index: number, name: string): string | undefined {
  const value = items.items[index]?.[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (!items.batch && (typeof value === 'number' || typeof value === 'boolean')) {
    return String(value);
  }
  if (items.batch) {
    throw internalError(
      `failed to parse batch input: '[${index}].${name}' expected type 'string', got unconvertible type '${goType(value)}'`,
    );
  }
  throw VaultHttpError.badRequest(
    `Field validation failed: error converting input for field "${name}": expected type 'string'`,
  );
}

/** A base64 field decoded as Go does; `prefix` is how the operation words a decoding error. */
export function base64Field(text: string | undefined, prefix = ''): Buffer | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return decodeGoBase64(text);
  } catch (error) {
    throw new TransitItemError(`${prefix}${(error as Error).message}`);
  }
}

/** Vault's rule for `context` in a batch: on every item, or on none. */
export function checkContextAllOrNone(items: TransitItems): void {
  const has = (i: number) => (textField(items, i, 'context') ?? '') !== '';
  const first = has(0);
  for (let i = 1; i < items.items.length; i++) {
    if (has(i) !== first) {
      throw VaultHttpError.badRequest(
        'context should be set either in all the request blocks or in none',
      );
    }
  }
}

/** One item's outcome: its answer fields, or the error Vault reports for it. */
export type ItemOutcome = SafeRecord | TransitItemError;

/**
 * Vault's answer: a single request gets the item's fields or its error (400, 500 when internal); a
 * batch gets `batch_results` with `reference` copied — and with `failStatus`, 400 (or 500) when any
 * item failed (encrypt and decrypt do this; rewrap, hmac, sign and verify answer 200 regardless).
 */
export function answer(
  items: TransitItems,
  outcomes: readonly ItemOutcome[],
  errorFields: SafeRecord,
  failStatus: boolean,
): VaultResult {
  if (!items.batch) {
    const only = outcomes[0];
    if (only instanceof TransitItemError) {
      throw only.internal ? internalError(only.message) : VaultHttpError.badRequest(only.message);
    }
    return { data: only };
  }
  let userError = false;
  let internal = false;
  const results = outcomes.map((outcome, i) => {
    const result = safeRecord();
    if (outcome instanceof TransitItemError) {
      if (outcome.internal) internal = true;
      else userError = true;
      Object.assign(result, errorFields, { error: outcome.message });
    } else {
      Object.assign(result, outcome);
    }
    const reference = items.items[i]?.reference;
    result.reference = typeof reference === 'string' ? reference : '';
    return result;
  });
  const data = safeRecord();
  data.batch_results = results;
  if (failStatus && userError) return { status: 400, data };
  if (failStatus && internal) return { status: 500, data };
  return { data };
}

/** Outcome of `run`, or the item error it threw. */
export function attempt(run: () => SafeRecord): ItemOutcome {
  try {
    return run();
  } catch (error) {
    if (error instanceof TransitItemError) return error;
    throw error;
  }
}

function goType(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'json.Number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}
