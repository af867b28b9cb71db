export interface ServerStats {
  total: number;
  /** `'GET /v1/secret/data/app'`, `'LIST /v1/secret/metadata/'`: method (LIST for `?list=true`) and path. */
  byRoute: Record<string, number>;
}

/** Counters of `/v1` requests by method and path. */
export class RequestStats {
  private total = 0;
  private readonly byRoute = new Map<string, number>();

  record(method: string, path: string): void {
    this.total += 1;
    const key = `${method} ${path}`;
    this.byRoute.set(key, (this.byRoute.get(key) ?? 0) + 1);
  }

  snapshot(): ServerStats {
    const byRoute: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const [k, v] of [...this.byRoute.entries()].sort()) byRoute[k] = v;
    return { total: this.total, byRoute: { ...byRoute } };
  }

  reset(): void {
    this.total = 0;
    this.byRoute.clear();
  }
}
