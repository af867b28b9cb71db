import { b } from '../nest/b.js';

export const a = (): number => b() + 1;
