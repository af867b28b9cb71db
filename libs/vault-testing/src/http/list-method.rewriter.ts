/**
 * Node's HTTP parser rejects the `LIST` method Vault clients send. This tracks HTTP/1.1 request
 * boundaries on a connection (Content-Length and chunked bodies) and rewrites a request line's
 * `LIST` into `PROPFIND`, which the server maps back to LIST. Bodies pass through untouched.
 */
export const LIST_ALIAS = 'PROPFIND';

type State =
  'start' | 'headers' | 'body' | 'chunk-size' | 'chunk-data' | 'trailers' | 'passthrough';

const MAX_HEAD_BYTES = 64 * 1024;

export class ListMethodRewriter {
  private state: State = 'start';
  private pending = Buffer.alloc(0);
  private head = '';
  private remaining = 0;
  private line = '';

  transform(chunk: Buffer): Buffer {
    if (this.state === 'passthrough') return chunk;
    const out: Buffer[] = [];
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let i = 0;
    while (i < data.length) {
      switch (this.state) {
        case 'start': {
          // Skip stray CRLFs between requests.
          if (data[i] === 0x0d || data[i] === 0x0a) {
            out.push(data.subarray(i, i + 1));
            i += 1;
            break;
          }
          const rest = data.subarray(i);
          if (rest.length < 5 && Buffer.from('LIST ').subarray(0, rest.length).equals(rest)) {
            this.pending = Buffer.from(rest);
            return Buffer.concat(out);
          }
          if (rest.subarray(0, 5).toString('latin1') === 'LIST ') {
            out.push(Buffer.from(`${LIST_ALIAS} `));
            i += 5;
          }
          this.state = 'headers';
          this.head = '';
          break;
        }
        case 'headers': {
          const end = this.scanHead(data, i);
          out.push(data.subarray(i, end));
          i = end;
          break;
        }
        case 'body': {
          const take = Math.min(this.remaining, data.length - i);
          out.push(data.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'start';
          break;
        }
        case 'chunk-size':
        case 'trailers': {
          const nl = data.indexOf(0x0a, i);
          const stop = nl === -1 ? data.length : nl + 1;
          out.push(data.subarray(i, stop));
          this.line += data.subarray(i, stop).toString('latin1');
          i = stop;
          if (this.line.length > MAX_HEAD_BYTES) this.state = 'passthrough';
          if (nl !== -1) this.endLine();
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.remaining, data.length - i);
          out.push(data.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'chunk-size';
          break;
        }
        case 'passthrough':
          out.push(data.subarray(i));
          i = data.length;
          break;
      }
    }
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  /** Consumes header bytes; returns where they end in `data` (switching state at the blank line). */
  private scanHead(data: Buffer, from: number): number {
    for (let i = from; i < data.length; i++) {
      this.head += String.fromCharCode(data[i]);
      if (this.head.length > MAX_HEAD_BYTES) {
        this.state = 'passthrough';
        return data.length;
      }
      if (data[i] === 0x0a && (this.head.endsWith('\r\n\r\n') || this.head.endsWith('\n\n'))) {
        this.afterHead();
        return i + 1;
      }
    }
    return data.length;
  }

  private afterHead(): void {
    const lines = this.head.toLowerCase().split(/\r?\n/);
    let length = 0;
    let chunked = false;
    for (const l of lines) {
      const colon = l.indexOf(':');
      if (colon === -1) continue;
      const name = l.slice(0, colon).trim();
      const value = l.slice(colon + 1).trim();
      if (name === 'transfer-encoding' && value.includes('chunked')) chunked = true;
      if (name === 'content-length') length = Number(value) || 0;
      if (name === 'upgrade') this.state = 'passthrough';
    }
    if (this.state === 'passthrough') return;
    this.head = '';
    if (chunked) {
      this.state = 'chunk-size';
      this.line = '';
    } else if (length > 0) {
      this.state = 'body';
      this.remaining = length;
    } else {
      this.state = 'start';
    }
  }

  private endLine(): void {
    const line = this.line.replace(/\r?\n$/, '');
    this.line = '';
    if (this.state === 'trailers') {
      if (line === '') this.state = 'start';
      return;
    }
    const size = parseInt(line.split(';')[0]?.trim() ?? '', 16);
    if (!Number.isFinite(size)) {
      this.state = 'passthrough';
      return;
    }
    if (size === 0) this.state = 'trailers';
    else {
      this.state = 'chunk-data';
      this.remaining = size + 2;
    }
  }
}
