import { isObject } from '../utils/is-object.js';
import type { TransitContextOptions } from './interfaces/transit-options.interface.js';
import { ciphertextArgument, contextBase64, toBase64 } from './transit-encoding.js';
import { invalidArgument, type TransitTarget } from './transit-target.js';

/** A `batch_input` and every value in it that must never show up in an error. */
export interface BatchInput {
  readonly items: Record<string, string>[];
  readonly secrets: string[];
}

function checkedList(target: TransitTarget, items: unknown): readonly unknown[] {
  if (!Array.isArray(items)) throw invalidArgument(target, 'items must be an array');
  return items;
}

function withContext(
  target: TransitTarget,
  item: Record<string, string>,
  context: unknown,
  secrets: string[],
): Record<string, string> {
  const encoded = contextBase64(target, context);
  if (encoded !== undefined) {
    item.context = encoded;
    secrets.push(encoded);
  }
  return item;
}

/** `encryptMany` items: data, or `{ plaintext, context }`; `shared.context` where an item has none. */
export function plaintextBatch(
  target: TransitTarget,
  items: unknown,
  shared: TransitContextOptions = {},
): BatchInput {
  const secrets: string[] = [];
  const batch = checkedList(target, items).map((item, i) => {
    const own = isObject(item) && !(item instanceof Uint8Array) ? item : { plaintext: item };
    const plaintext = toBase64(target, own.plaintext, `items[${i}].plaintext`);
    secrets.push(plaintext);
    return withContext(target, { plaintext }, own.context ?? shared.context, secrets);
  });
  return { items: batch, secrets };
}

/** `decryptMany` / `rewrapMany` items: a ciphertext, or `{ ciphertext, context }`. */
export function ciphertextBatch(
  target: TransitTarget,
  items: unknown,
  shared: TransitContextOptions = {},
): BatchInput {
  const secrets: string[] = [];
  const batch = checkedList(target, items).map((item, i) => {
    const own = isObject(item) ? item : { ciphertext: item };
    const ciphertext = ciphertextArgument(target, own.ciphertext, `items[${i}].ciphertext`);
    secrets.push(ciphertext);
    return withContext(target, { ciphertext }, own.context ?? shared.context, secrets);
  });
  return { items: batch, secrets };
}
