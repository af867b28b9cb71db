/** `/v1/<segments percent-encoded>` plus the query string. */
export function apiUrlPath(basePath: string, path: string, query?: Record<string, string>): string {
  const encoded = path
    .split('/')
    .filter(s => s !== '')
    .map(s => encodeURIComponent(s))
    .join('/');
  const trailing = path.endsWith('/') ? '/' : '';
  const qs = query && Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : '';
  return `${basePath}/v1/${encoded}${trailing}${qs}`;
}
