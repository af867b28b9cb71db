import type { a } from '../options/a.js';

export const b = (): number => 1;
export type A = typeof a;
