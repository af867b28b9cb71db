import type { PathRule } from './path-rule.interface.js';

/** A parsed ACL policy. */
export interface AclPolicy {
  readonly name: string;
  readonly raw: string;
  readonly rules: readonly PathRule[];
}
