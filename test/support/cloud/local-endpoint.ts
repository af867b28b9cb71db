/** A cloud endpoint played on 127.0.0.1 for tests: a handler, and a log of what it was asked. */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface LocalRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface LocalAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: string | object;
}

export interface LocalEndpoint {
  readonly url: string;
  readonly host: string;
  /** Every request, in order (for assertions on headers and paths). */
  readonly requests: LocalRequest[];
  close(): Promise<void>;
}

export type LocalHandler = (req: LocalRequest) => LocalAnswer | Promise<LocalAnswer>;

export async function startLocalEndpoint(handler: LocalHandler): Promise<LocalEndpoint> {
  const requests: LocalRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const request: LocalRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      void Promise.resolve()
        .then(() => handler(request))
        .catch((error: unknown): LocalAnswer => ({ status: 500, body: { error: String(error) } }))
        .then(answer => {
          const json = typeof answer.body === 'object';
          res.writeHead(answer.status ?? 200, {
            ...(json ? { 'content-type': 'application/json' } : {}),
            ...answer.headers,
          });
          res.end(json ? JSON.stringify(answer.body) : (answer.body ?? ''));
        });
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A header's value (the first one when repeated). */
export const header = (req: LocalRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};
