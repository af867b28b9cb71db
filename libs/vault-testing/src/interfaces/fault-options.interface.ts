/** One injected fault; see {@link FaultRegistry.inject}. */
export interface FaultOptions {
  /** A glob on the URL path including `/v1` (`*` matches any characters), or a RegExp. */
  path: string | RegExp;
  /** HTTP method to match (`LIST` matches both the verb and `GET ?list=true`); default any. */
  method?: string;
  /** Delay before answering; alone it delays the normal answer. */
  latencyMs?: number;
  /** Answer this status instead of the normal answer. */
  status?: number;
  /** Body for `status` (objects are sent as JSON, strings as they are). */
  body?: unknown;
  headers?: Record<string, string>;
  /** With status 429 (the default when set): the `Retry-After` header, in seconds. */
  retryAfterS?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** 200 with a body that is not valid JSON, or one cut short of its Content-Length. */
  malformed?: 'invalid-json' | 'truncated';
  /**
   * Let the server act on the request first (the write lands, the wrapping token is used up, the
   * login spends a secret-ID use), then send the fault's answer instead of its own: what a client
   * sees when a proxy loses Vault's answer (a 502 or 504 after acting). Default false.
   */
  afterHandling?: boolean;
  /** Fire this many times, then disappear (default: until removed). */
  times?: number;
}

export interface InjectedFault {
  readonly id: string;
  readonly options: Readonly<FaultOptions>;
  /** How often it has fired. */
  readonly hits: number;
  remove(): void;
}
