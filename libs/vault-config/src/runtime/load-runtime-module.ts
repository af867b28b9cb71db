/** The read, refresh and renewal code, loaded on first use (see runtime-entry.ts). */
export type RuntimeModule = typeof import('./runtime-entry.js');

export const loadRuntimeModule = (): Promise<RuntimeModule> => import('./runtime-entry.js');
