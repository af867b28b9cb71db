import { isPlainObject, safeRecord, type SafeRecord } from '../../util/safe-object.js';

/** RFC 7386 JSON merge patch onto prototype-less copies (null deletes a key). */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: SafeRecord = safeRecord();
  if (isPlainObject(target)) for (const [k, v] of Object.entries(target)) out[k] = v;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}
