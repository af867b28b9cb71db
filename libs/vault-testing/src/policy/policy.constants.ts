export const ROOT_POLICY_NAME = 'root';
export const DEFAULT_POLICY_NAME = 'default';
