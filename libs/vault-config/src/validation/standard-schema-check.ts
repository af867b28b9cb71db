import type { InvalidSecret } from '../errors/invalid-secrets.error.js';
import type {
  StandardSchemaV1,
  StandardSchemaV1Issue,
} from '../interfaces/standard-schema.interface.js';
import { isObject } from '../utils/is-object.js';
import { safeText } from '../utils/safe-text.js';
import type { SchemaCheck } from './schema-check.interface.js';

/** How long a rule taken from an issue message may be. */
const MAX_RULE_LENGTH = 120;
/** Input values this short are not searched for in messages of other keys (they match ordinary words). */
const MIN_SEARCHED_LENGTH = 4;

/**
 * Validates with the schema's own `validate` (sync or async: both are awaited), no import of
 * class-validator. The output's own properties are the converted values (Zod's `coerce`, Valibot's
 * `transform`, ...). Each issue becomes a failure of the top-level key its path names, with a rule
 * that never holds a value (see `ruleOf`).
 */
export function standardSchemaCheck(schema: StandardSchemaV1): SchemaCheck {
  return {
    properties: declaredProperties(schema),
    async validate(input) {
      const result = await schema['~standard'].validate(input);
      const values = new Map<string, unknown>();
      if (!result.issues) {
        if (isObject(result.value)) {
          for (const key of Object.keys(result.value)) values.set(key, result.value[key]);
        }
        return { values, failures: [] };
      }
      const byKey = new Map<string, string[]>();
      for (const issue of result.issues) {
        const key = keyOf(issue);
        const rules = byKey.get(key) ?? [];
        const rule = ruleOf(issue, key, input);
        if (!rules.includes(rule)) rules.push(rule);
        byKey.set(key, rules);
      }
      const failures: InvalidSecret[] = [...byKey].map(([key, constraints]) => ({
        key,
        constraints,
      }));
      return { values, failures };
    },
  };
}

/** `DB.host` for a path `['DB', 'host']`; `(schema)` for an issue about the whole object. */
function keyOf(issue: StandardSchemaV1Issue): string {
  const parts = (issue.path ?? []).map(segment =>
    String(typeof segment === 'object' && segment !== null ? segment.key : segment),
  );
  return parts.length ? parts.join('.') : '(schema)';
}

/**
 * The issue's message when it cannot hold a value: anything from "received" on is cut (Valibot's
 * `Received "..."`, Zod 3's `received '...'`), and a message that still contains the key's value
 * (or a longer value of another key) is replaced by the library's issue code (Zod `code`, Valibot
 * `type`) or `invalid`. Control characters are escaped, the length capped.
 */
function ruleOf(issue: StandardSchemaV1Issue, key: string, input: Record<string, unknown>): string {
  const message = issue.message.replace(/[\s,;:(]*(?:\bbut\s+)?\breceived\b[\s\S]*$/i, '').trim();
  const own = valueText(input[key.split('.')[0] ?? key]);
  const others = Object.values(input)
    .map(valueText)
    .filter(v => v.length >= MIN_SEARCHED_LENGTH);
  const leaks = [own, ...others].some(v => v.length > 0 && message.includes(v));
  if (message && !leaks) return safeText(message, MAX_RULE_LENGTH);
  return codeOf(issue) ?? 'invalid';
}

function valueText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

/** The library's machine name of the rule: Zod's `code` (with its `format`), Valibot's `type`. */
function codeOf(issue: StandardSchemaV1Issue): string | undefined {
  const fields = issue as unknown as Record<string, unknown>;
  const name = [fields.code, fields.type].find(
    (v): v is string => typeof v === 'string' && /^[\w-]{1,40}$/.test(v),
  );
  if (!name) return undefined;
  const format = fields.format;
  return typeof format === 'string' && /^[\w-]{1,40}$/.test(format) ? `${name}(${format})` : name;
}

/**
 * The top-level keys the schema names, when its library shows them (Zod's `shape`, Valibot's
 * `entries`): they count as declared, like a class's decorated properties, so the environment
 * fallback looks for them. A schema that shows none still validates every key it is given.
 */
function declaredProperties(schema: StandardSchemaV1): string[] {
  const fields = schema as unknown as Record<string, unknown>;
  for (const candidate of [fields.shape, fields.entries]) {
    if (isObject(candidate)) return Object.keys(candidate);
  }
  return [];
}
