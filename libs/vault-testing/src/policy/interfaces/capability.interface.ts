/** A capability as written in an ACL policy's `capabilities` list. */
export type Capability =
  'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny';
