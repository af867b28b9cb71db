/** dotenv's `parse` (quotes, multi-line values, `export`, comments). */
export type DotenvParse = (src: string) => Record<string, string>;

/** Loads dotenv on the CLI path only: the library's main entry never imports it. */
export async function loadDotenvParse(): Promise<DotenvParse> {
  const mod = (await import('dotenv')) as { parse?: DotenvParse; default?: { parse: DotenvParse } };
  const parse = mod.parse ?? mod.default?.parse;
  if (typeof parse !== 'function') throw new Error('dotenv.parse is not available');
  return src => parse(src);
}
