import { describe, expect, it } from '@jest/globals';
import { ListMethodRewriter } from './list-method.rewriter.js';

function feed(chunks: string[]): string {
  const rewriter = new ListMethodRewriter();
  return chunks.map(c => rewriter.transform(Buffer.from(c, 'latin1')).toString('latin1')).join('');
}

describe('ListMethodRewriter', () => {
  it('rewrites LIST request lines, also when split across chunks, and leaves other methods alone', () => {
    expect(feed(['LIST /v1/a/ HTTP/1.1\r\nHost: x\r\n\r\n'])).toBe(
      'PROPFIND /v1/a/ HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    expect(feed(['LI', 'ST /v1/a HTTP/1.1\r\n\r\n'])).toBe('PROPFIND /v1/a HTTP/1.1\r\n\r\n');
    expect(feed(['LISTEN / HTTP/1.1\r\n\r\n'])).toBe('LISTEN / HTTP/1.1\r\n\r\n');
    expect(feed(['GET /v1/LIST HTTP/1.1\r\n\r\n'])).toBe('GET /v1/LIST HTTP/1.1\r\n\r\n');
  });

  it('never touches bodies, even bodies that look like a LIST request, and finds the next request', () => {
    const body = 'LIST /v1/x HTTP/1.1\r\n\r\n';
    const post = `POST /v1/a HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const next = 'LIST /v1/b HTTP/1.1\r\n\r\n';
    expect(feed([post + next])).toBe(post + 'PROPFIND /v1/b HTTP/1.1\r\n\r\n');
    const chunked =
      'PUT /v1/a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nLIST \r\n0\r\n\r\n';
    expect(feed([chunked.slice(0, 40), chunked.slice(40), next])).toBe(
      chunked + 'PROPFIND /v1/b HTTP/1.1\r\n\r\n',
    );
  });
});
