import { randomBytes } from 'node:crypto';
import type { FaultOptions, InjectedFault } from '../interfaces/fault-options.interface.js';

const MALFORMED = new Set(['invalid-json', 'truncated']);

class ActiveFault implements InjectedFault {
  hits = 0;
  readonly matcher: RegExp;

  constructor(
    readonly id: string,
    readonly options: Readonly<FaultOptions>,
    private readonly registry: FaultRegistry,
  ) {
    this.matcher = options.path instanceof RegExp ? options.path : globToRegExp(options.path);
  }

  remove(): void {
    this.registry.remove(this.id);
  }
}

/** Faults by path pattern, changeable while the server runs. The first matching fault fires. */
export class FaultRegistry {
  private readonly faults = new Map<string, ActiveFault>();

  inject(options: FaultOptions): InjectedFault {
    validate(options);
    const fault = new ActiveFault(randomBytes(8).toString('hex'), { ...options }, this);
    this.faults.set(fault.id, fault);
    return fault;
  }

  remove(id: string): boolean {
    return this.faults.delete(id);
  }

  clear(): void {
    this.faults.clear();
  }

  list(): InjectedFault[] {
    return [...this.faults.values()];
  }

  /** The fault that fires for this request (counting it), if any. */
  take(method: string, path: string): Readonly<FaultOptions> | undefined {
    for (const fault of this.faults.values()) {
      const wanted = fault.options.method?.toUpperCase();
      if (wanted && wanted !== method) continue;
      fault.matcher.lastIndex = 0;
      if (!fault.matcher.test(path)) continue;
      fault.hits += 1;
      if (fault.options.times !== undefined && fault.hits >= fault.options.times) {
        this.faults.delete(fault.id);
      }
      return fault.options;
    }
    return undefined;
  }
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

function validate(o: FaultOptions): void {
  if (typeof o !== 'object' || o === null) throw new TypeError('fault options must be an object');
  if (!(o.path instanceof RegExp) && (typeof o.path !== 'string' || o.path === '')) {
    throw new TypeError('fault path must be a non-empty glob string or a RegExp');
  }
  if (o.method !== undefined && typeof o.method !== 'string')
    throw new TypeError('method must be a string');
  for (const key of ['latencyMs', 'retryAfterS'] as const) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 600_000)) {
      throw new TypeError(`${key} must be a number between 0 and 600000`);
    }
  }
  if (o.status !== undefined && (!Number.isInteger(o.status) || o.status < 100 || o.status > 599)) {
    throw new TypeError('status must be an HTTP status code');
  }
  if (o.afterHandling !== undefined && typeof o.afterHandling !== 'boolean') {
    throw new TypeError('afterHandling must be a boolean');
  }
  if (o.times !== undefined && (!Number.isInteger(o.times) || o.times < 1)) {
    throw new TypeError('times must be a positive integer');
  }
  if (o.malformed !== undefined && !MALFORMED.has(o.malformed)) {
    throw new TypeError("malformed must be 'invalid-json' or 'truncated'");
  }
  if (o.headers !== undefined && (typeof o.headers !== 'object' || o.headers === null)) {
    throw new TypeError('headers must be an object of strings');
  }
}
