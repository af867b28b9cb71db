import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { ListMethodRewriter } from './list-method.rewriter.js';

/** A Duplex over a TCP socket that feeds the HTTP server request bytes with `LIST` made parseable. */
export class ListAwareSocket extends Duplex {
  private readonly rewriter = new ListMethodRewriter();

  constructor(readonly raw: Socket) {
    super({ allowHalfOpen: false });
    raw.on('data', (chunk: Buffer) => {
      const out = this.rewriter.transform(chunk);
      if (out.length && !this.push(out)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    raw.on('error', err => this.destroy(err));
    raw.on('close', () => this.destroy());
    raw.on('timeout', () => this.emit('timeout'));
  }

  get remoteAddress(): string | undefined {
    return this.raw.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.raw.remotePort;
  }

  get localAddress(): string | undefined {
    return this.raw.localAddress;
  }

  get localPort(): number | undefined {
    return this.raw.localPort;
  }

  get encrypted(): boolean {
    return false;
  }

  setTimeout(ms: number, callback?: () => void): this {
    this.raw.setTimeout(ms);
    if (callback) this.once('timeout', callback);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.raw.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delay?: number): this {
    this.raw.setKeepAlive(enable, delay);
    return this;
  }

  ref(): this {
    this.raw.ref();
    return this;
  }

  unref(): this {
    this.raw.unref();
    return this;
  }

  address() {
    return this.raw.address();
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(
    chunk: Buffer,
    encoding: BufferEncoding,
    callback: (err?: Error | null) => void,
  ): void {
    if (this.raw.destroyed) {
      callback();
      return;
    }
    this.raw.write(chunk, encoding, err => callback(err ?? null));
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.raw.end(() => callback());
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.raw.destroy();
    callback(err);
  }
}
