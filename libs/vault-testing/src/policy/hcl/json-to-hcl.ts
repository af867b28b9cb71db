import { HclSyntaxError } from '../errors/hcl-syntax.error.js';
import type { HclItem, HclValue } from './hcl-node.interface.js';

const MAX_DEPTH = 64;

/** Vault accepts a policy as JSON too (HCL's JSON dialect); this maps it onto the HCL object model. */
export function parseJsonAsHcl(text: string): HclItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HclSyntaxError(1, 1, `invalid JSON (${(error as Error).message})`);
  }
  const root = toHcl(parsed, 0);
  if (root.kind !== 'object') throw new HclSyntaxError(1, 1, 'JSON policy must be an object');
  return [...root.items];
}

function toHcl(value: unknown, depth: number): HclValue {
  if (depth > MAX_DEPTH) throw new HclSyntaxError(1, 1, 'nesting too deep');
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return { kind: 'number', value, text: String(value) };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(v => toHcl(v, depth + 1)) };
  if (value !== null && typeof value === 'object') {
    const items = Object.entries(value).map(([key, v]) => ({
      keys: [key],
      value: toHcl(v, depth + 1),
      line: 1,
      column: 1,
    }));
    return { kind: 'object', items };
  }
  throw new HclSyntaxError(1, 1, 'null is not a valid value');
}
