import { INSPECT } from '../utils/inspect.js';

/** Holds a credential so that logging or serialising the resolved options never shows it. */
export class SensitiveValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[REDACTED]';
  }

  toJSON(): string {
    return '[REDACTED]';
  }

  [INSPECT](): string {
    return '[REDACTED]';
  }
}
