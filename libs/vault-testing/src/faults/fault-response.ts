import type { IncomingMessage, ServerResponse } from 'node:http';
import { JSON_HEADERS } from '../http/http-answer.js';
import { sendAnswer } from '../http/send-answer.js';
import type { FaultOptions } from '../interfaces/fault-options.interface.js';

/**
 * Plays an injected fault on one request: its latency (through `delay`), then a reset, a malformed
 * body or a status. Returns true when the fault answered (or killed) the request.
 */
export async function applyFault(
  fault: Readonly<FaultOptions>,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  delay: (ms: number) => Promise<void>,
): Promise<boolean> {
  if (fault.latencyMs) await delay(fault.latencyMs);
  if (fault.reset) {
    req.socket.destroy();
    return true;
  }
  if (fault.malformed === 'invalid-json') {
    req.resume();
    sendAnswer(res, {
      status: 200,
      headers: JSON_HEADERS,
      body: '{"request_id":"c0ffee","data":{"data":{"value":',
    });
    return true;
  }
  if (fault.malformed === 'truncated') {
    req.resume();
    const full = JSON.stringify({
      request_id: 'c0ffee',
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: { data: { value: 'truncated-by-fault-injection' }, metadata: { version: 1 } },
      wrap_info: null,
      warnings: null,
      auth: null,
    });
    res.writeHead(200, { ...JSON_HEADERS, 'Content-Length': String(Buffer.byteLength(full)) });
    res.write(full.slice(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
    return true;
  }
  const status = fault.status ?? (fault.retryAfterS !== undefined ? 429 : undefined);
  if (status !== undefined) {
    req.resume();
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (fault.retryAfterS !== undefined) headers['Retry-After'] = String(fault.retryAfterS);
    Object.assign(headers, fault.headers ?? {});
    let body: string;
    if (fault.body === undefined) body = `${JSON.stringify(defaultFaultBody(status, pathname))}\n`;
    else if (typeof fault.body === 'string') body = fault.body;
    else body = `${JSON.stringify(fault.body)}\n`;
    sendAnswer(res, {
      status,
      headers,
      body: status === 204 || status === 304 ? undefined : body,
    });
    return true;
  }
  return false;
}

/** Vault's own body for the statuses faults usually inject. */
function defaultFaultBody(status: number, pathname: string): unknown {
  if (status === 429) {
    return {
      errors: [`request path "${pathname.replace(/^\/v1\//, '')}": rate limit quota exceeded`],
    };
  }
  if (status === 503) return { errors: ['Vault is sealed'] };
  if (status === 500) return { errors: ['internal error'] };
  if (status === 403) return { errors: ['1 error occurred:\n\t* permission denied\n\n'] };
  return { errors: [] };
}
