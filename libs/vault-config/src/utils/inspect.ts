/**
 * `util.inspect.custom` without importing `node:util`: objects that hold secrets print a summary
 * under `console.log`, Nest's `Logger` and `util.inspect`.
 */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;
