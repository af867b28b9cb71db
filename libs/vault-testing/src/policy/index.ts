export type { Capability } from './interfaces/capability.interface.js';
export type { AclPolicy } from './interfaces/acl-policy.interface.js';
export type { PathRule } from './interfaces/path-rule.interface.js';
export { PolicyParseError } from './errors/policy-parse.error.js';
export { parsePolicy } from './policy.parser.js';
export { Acl } from './acl.js';
export { DEFAULT_POLICY_HCL } from './default-policy.constants.js';
export { DEFAULT_POLICY_NAME, ROOT_POLICY_NAME } from './policy.constants.js';
