import type { IncomingMessage, RequestOptions } from 'node:http';

export interface OutboundResponse {
  status: number;
  text: string;
}

const TIMEOUT_MS = 5000;
const MAX_BYTES = 1024 * 1024;

/**
 * A request from the test server to a cloud API (STS, Google's key endpoints, Entra ID discovery,
 * Kubernetes' TokenReview),
 * as Vault's plugins make them: no redirects followed, a bounded body. `host` sets the Host header
 * apart from the address connected to (Vault sends the signed STS request to `sts_endpoint`).
 */
export async function outbound(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    host?: string;
    /** PEM CA to trust for an https `url` (Kubernetes' `kubernetes_ca_cert`). */
    ca?: string;
  } = {},
): Promise<OutboundResponse> {
  const target = new URL(url);
  const client =
    target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers: Record<string, string> = { ...options.headers };
  if (options.host) headers.host = options.host;
  if (options.body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(options.body));
  const request: RequestOptions & { ca?: string } = {
    method: options.method ?? 'GET',
    headers,
    agent: false,
    timeout: TIMEOUT_MS,
    ...(target.protocol === 'https:' && options.ca ? { ca: options.ca } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = client.request(target, request, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) res.destroy(new Error('response too large'));
        else chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GET a JSON document; a non-200 answer or a body that is not JSON is an Error saying so. */
export async function outboundJson(url: string): Promise<unknown> {
  const res = await outbound(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text.slice(0, 200)}`);
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    throw new Error(`GET ${url}: not JSON`);
  }
}
