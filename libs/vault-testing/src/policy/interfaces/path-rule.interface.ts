import type { Capability } from './capability.interface.js';

/** One `path "<pattern>" { ... }` block, normalised the way Vault stores it. */
export interface PathRule {
  /** The pattern without a leading `/`; a plain trailing `*` is stripped (see `isPrefix`). */
  readonly path: string;
  /** `true` for `foo/*`: matches every path starting with `path`. */
  readonly isPrefix: boolean;
  /** `true` when a segment is `+`; such a pattern keeps its trailing `*`. */
  readonly hasSegmentWildcards: boolean;
  /** `true` for identity templates (`{{identity.entity.id}}`); never matched by this server. */
  readonly templated: boolean;
  /** Either exactly `['deny']` or the granted capabilities, deduplicated. */
  readonly capabilities: readonly Capability[];
}
