/** What `sys/mounts/<path>`, `sys/auth/<path>` and seeds ask for when enabling a mount. */
export interface MountSpec {
  type: string;
  description?: string;
  options?: unknown;
  config?: unknown;
  local?: boolean;
  sealWrap?: boolean;
}
