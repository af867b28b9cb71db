/**
 * The readers every option group shares. Each one reports a problem and carries on instead of
 * throwing, so one validation run can list every mistake at once. Only own properties are read, so
 * a polluted prototype can never supply an option.
 */

/** The options object (or a nested group of it), not yet checked. */
export type RawOptions = Record<string, unknown>;

/** Records one problem: the option path (`sources[1].mount`) and what is wrong with it. */
export type Report = (option: string, message: string) => void;

export const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

export const own = (o: RawOptions, key: string): unknown =>
  Object.hasOwn(o, key) ? o[key] : undefined;

/** A variable from `env`, trimmed; blank counts as unset. */
export const envValue = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
};

/** What Node lets into an HTTP header value (tab, visible Latin-1): a CR or LF would end the header. */
export const isHeaderValue = (value: string): boolean => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

/** The message for a value sent as a header (a token, a namespace) that no header can carry. */
export const NOT_A_HEADER_VALUE =
  'holds a line break or another character an HTTP header cannot carry';

export function optionalBoolean(
  o: RawOptions,
  key: string,
  problem: Report,
  path = key,
): boolean | undefined {
  const v = own(o, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') problem(path, 'must be a boolean');
  return typeof v === 'boolean' ? v : undefined;
}

/** An integer within [min, max]; anything else is reported and read as unset. */
export function optionalInt(
  o: RawOptions,
  key: string,
  min: number,
  max: number,
  problem: Report,
  path = key,
): number | undefined {
  const v = own(o, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    problem(path, `must be an integer from ${min} to ${max}`);
    return undefined;
  }
  return v;
}

/** The non-empty strings of an array; each bad item is reported by its index. */
export function stringList(v: unknown, path: string, problem: Report): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    problem(path, 'must be an array of non-empty strings');
    return undefined;
  }
  const out: string[] = [];
  v.forEach((item, i) => {
    if (nonEmpty(item)) out.push(item);
    else problem(`${path}[${i}]`, 'must be a non-empty string');
  });
  return out;
}
