import { VaultHttpError } from '../../http/vault-http.error.js';
import type { VaultResult } from '../../http/vault-result.interface.js';
import { safeRecord, type SafeRecord } from '../../util/safe-object.js';
import {
  answer,
  attempt,
  base64Field,
  checkContextAllOrNone,
  internalError,
  readItems,
  textField,
  type TransitItems,
} from './transit-batch.js';
import { decryptBytes, encryptBytes } from './transit-crypto.js';
import { TransitItemError, type TransitKey } from './transit-key.js';
import { parseVersioned } from './versioned-value.js';

/** Finds the key, or creates it when the request is an `encrypt` with `create` (Vault's upsert). */
export type KeyResolver = (contextSet: boolean) => TransitKey | undefined;

const KEY_NOT_FOUND = 'encryption key not found';

interface Prepared {
  readonly input?: Buffer;
  readonly ciphertext?: string;
  readonly context: Buffer | undefined;
}

/** `POST transit/encrypt/<name>`: base64 `plaintext`, optional `context`, or `batch_input`. */
export function encrypt(body: SafeRecord, resolve: KeyResolver): VaultResult {
  const items = readItems(body);
  items.items.forEach((_, i) => {
    if (textField(items, i, 'plaintext') !== undefined) return;
    if (!items.batch) throw VaultHttpError.badRequest('missing plaintext to encrypt');
    throw internalError(
      `failed to parse batch input: '[${i}].plaintext' missing plaintext to encrypt`,
    );
  });
  checkContextAllOrNone(items);
  const prepared = prepare(items, i => ({
    input: base64Field(textField(items, i, 'plaintext')) ?? Buffer.alloc(0),
  }));
  const key = resolve((textField(items, 0, 'context') ?? '') !== '');
  if (!key) throw VaultHttpError.badRequest(KEY_NOT_FOUND);
  const outcomes = prepared.map(p =>
    p instanceof TransitItemError ? p : attempt(() => sealed(key, p.input as Buffer, p.context)),
  );
  return answer(items, outcomes, safeRecord(), true);
}

/** `POST transit/decrypt/<name>`. */
export function decrypt(body: SafeRecord, key: TransitKey | undefined): VaultResult {
  const items = readCiphertexts(body);
  const prepared = prepare(items, i => ({ ciphertext: textField(items, i, 'ciphertext') }));
  if (!key) throw VaultHttpError.badRequest(KEY_NOT_FOUND);
  const outcomes = prepared.map(p =>
    p instanceof TransitItemError
      ? p
      : attempt(() => {
          const data = safeRecord();
          data.plaintext = opened(key, p.ciphertext as string, p.context).toString('base64');
          return data;
        }),
  );
  const failed = safeRecord();
  failed.plaintext = '';
  return answer(items, outcomes, failed, true);
}

/** `POST transit/rewrap/<name>`: decrypts and encrypts again with the latest version. */
export function rewrap(body: SafeRecord, key: TransitKey | undefined): VaultResult {
  const items = readCiphertexts(body);
  const prepared = prepare(items, i => ({ ciphertext: textField(items, i, 'ciphertext') }));
  if (!key) throw VaultHttpError.badRequest(KEY_NOT_FOUND);
  const outcomes = prepared.map(p =>
    p instanceof TransitItemError
      ? p
      : attempt(() => sealed(key, opened(key, p.ciphertext as string, p.context), p.context)),
  );
  return answer(items, outcomes, safeRecord(), false);
}

function readCiphertexts(body: SafeRecord): TransitItems {
  const items = readItems(body);
  if (!items.batch && !textField(items, 0, 'ciphertext')) {
    throw VaultHttpError.badRequest('missing ciphertext to decrypt');
  }
  checkContextAllOrNone(items);
  return items;
}

/** Per item, before the key is looked up: the decoded fields, or the item's error. */
function prepare(
  items: TransitItems,
  fields: (i: number) => Omit<Prepared, 'context'>,
): (Prepared | TransitItemError)[] {
  return items.items.map((_, i) =>
    attemptPrepare(() => {
      const own = fields(i);
      if ('ciphertext' in own && !own.ciphertext) {
        throw new TransitItemError('missing ciphertext to decrypt');
      }
      return { ...own, context: base64Field(textField(items, i, 'context')) };
    }),
  );
}

function attemptPrepare(run: () => Prepared): Prepared | TransitItemError {
  try {
    return run();
  } catch (error) {
    if (error instanceof TransitItemError) return error;
    throw error;
  }
}

function sealed(key: TransitKey, plaintext: Buffer, context: Buffer | undefined): SafeRecord {
  const version = key.latest;
  const bytes = encryptBytes(key, key.current, plaintext, context);
  const data = safeRecord();
  data.ciphertext = `vault:v${version}:${bytes.toString('base64')}`;
  data.key_version = version;
  return data;
}

function opened(key: TransitKey, ciphertext: string, context: Buffer | undefined): Buffer {
  if (!key.type.encryption) {
    throw new TransitItemError(`message decryption not supported for key type ${key.typeName}`);
  }
  const parsed = parseVersioned(ciphertext, 'ciphertext', {
    latest: key.latest,
    minDecryption: key.minDecryption,
  });
  if ('error' in parsed) throw new TransitItemError(parsed.error);
  const version = key.version(parsed.version);
  if (!version) throw new TransitItemError('invalid ciphertext: version is too new');
  return decryptBytes(key, version, parsed.bytes, context);
}
