export type KvV2Section =
  'empty' | 'data' | 'metadata' | 'delete' | 'undelete' | 'destroy' | 'subkeys' | 'config';

const SECTIONS = new Set<string>(['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys']);

/** `data/app/db` → section `data`, key `app/db`; an unknown head has no section (invalid path). */
export function splitKvV2Path(path: string): { section: KvV2Section | undefined; key: string } {
  if (path === 'config') return { section: 'config', key: '' };
  const slash = path.indexOf('/');
  const head = slash === -1 ? path : path.slice(0, slash);
  if (!SECTIONS.has(head)) return { section: undefined, key: '' };
  const key = slash === -1 ? '' : path.slice(slash + 1);
  if (key === '' && head !== 'metadata') return { section: 'empty', key: '' };
  return { section: head as KvV2Section, key };
}
