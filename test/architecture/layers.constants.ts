/**
 * The layers of libs/vault-config/src, lowest first: a file may import its own layer and the layers
 * before it, never one after it. The order is the data flow: options (→ policy, the HCL the
 * options need) → auth → client → loading →
 * snapshot → runtime → metrics → Nest (module, services, health, transit); the CLI sits beside Nest.
 */
export const LAYER_ORDER = [
  'utils',
  'errors',
  'interfaces',
  'options',
  'policy',
  'auth',
  'client',
  'loading',
  'validation',
  'snapshot',
  'lifecycle',
  'runtime',
  'metrics',
  'cli',
  'nest',
  'health',
  'transit',
  'pg',
] as const;

export type Layer = (typeof LAYER_ORDER)[number];

/** The CLI works on Vault directly: it never needs the live runtime or Nest. */
export const CLI_FORBIDDEN: readonly Layer[] = [
  'runtime',
  'metrics',
  'nest',
  'health',
  'transit',
  'pg',
];

/** Files at the root of src: the package's entries, which may import anything. */
export const ROOT_ENTRIES = [
  'index.ts',
  'cli.ts',
  'health/index.ts',
  'transit/index.ts',
  'pg/index.ts',
];

export const MAX_LINES = 300;
