import type { IncomingMessage } from 'node:http';
import { VaultAuthError } from '../../errors/vault-auth.error.js';
import {
  CLOUD_HTTP_DEADLINE_MS,
  CLOUD_HTTP_TIMEOUT_MS,
  MAX_CLOUD_RESPONSE_BYTES,
} from './cloud-auth.constants.js';

export interface CloudHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** What is asked for, for error messages: 'the managed identity token'. */
  what: string;
  /** The whole request's deadline (default CLOUD_HTTP_DEADLINE_MS). */
  deadlineMs?: number;
}

export interface CloudHttpResponse {
  status: number;
  text: string;
}

/**
 * One request to a metadata service or token endpoint, on a connection of its own (nothing stays
 * open afterwards), ended at its deadline however slowly the answer trickles in. A failure names
 * the endpoint and the error code; the body is never part of it.
 */
export async function cloudHttp(
  authMethod: string,
  req: CloudHttpRequest,
): Promise<CloudHttpResponse> {
  const url = new URL(req.url);
  const client = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const where = `${url.origin}${url.pathname}`;
  const deadlineMs = req.deadlineMs ?? CLOUD_HTTP_DEADLINE_MS;
  let deadline: NodeJS.Timeout | undefined;
  const answer = new Promise<CloudHttpResponse>((resolve, reject) => {
    const fail = (code: string) =>
      reject(
        new VaultAuthError({
          method: authMethod,
          reason: `cannot get ${req.what} from ${where} (${code})`,
        }),
      );
    const request = client.request(
      url,
      {
        method: req.method,
        headers: {
          ...req.headers,
          ...(req.body !== undefined ? { 'content-length': Buffer.byteLength(req.body) } : {}),
        },
        agent: false,
        timeout: CLOUD_HTTP_TIMEOUT_MS,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_CLOUD_RESPONSE_BYTES) {
            res.destroy();
            fail('response too large');
          } else chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => fail('response aborted'));
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error(), { code: 'ETIMEDOUT' })));
    deadline = setTimeout(() => {
      fail(`no complete answer within ${deadlineMs / 1000} s`);
      request.destroy();
    }, deadlineMs);
    deadline.unref();
    request.on('error', (error: NodeJS.ErrnoException) =>
      fail(typeof error.code === 'string' && /^[A-Z_]+$/.test(error.code) ? error.code : 'error'),
    );
    request.end(req.body);
  });
  return answer.finally(() => clearTimeout(deadline));
}

/** The JSON object of a 2xx answer; anything else is a VaultAuthError with the status. */
export async function cloudJson(
  authMethod: string,
  req: CloudHttpRequest,
  errorDetail: (body: unknown) => string | undefined = () => undefined,
): Promise<Record<string, unknown>> {
  const res = await cloudHttp(authMethod, req);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = undefined;
  }
  const where = new URL(req.url);
  if (res.status < 200 || res.status >= 300) {
    const detail = errorDetail(body);
    throw new VaultAuthError({
      method: authMethod,
      status: res.status,
      reason:
        `cannot get ${req.what}: ${where.origin}${where.pathname} answered ${res.status}` +
        (detail ? ` (${detail})` : ''),
    });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new VaultAuthError({
      method: authMethod,
      reason: `cannot get ${req.what}: ${where.origin}${where.pathname} answered no JSON object`,
    });
  }
  return body as Record<string, unknown>;
}
