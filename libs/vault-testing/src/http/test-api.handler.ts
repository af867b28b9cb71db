import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TestClock } from '../clock/test-clock.js';
import type { FaultRegistry } from '../faults/fault-registry.js';
import type { FaultOptions } from '../interfaces/fault-options.interface.js';
import type { ServerStats } from '../stats/request-stats.js';
import { JSON_HEADERS } from './http-answer.js';
import { readBody } from './read-body.js';
import { sendAnswer } from './send-answer.js';
import { tokenFrom } from './token-header.js';

/** What `/__test/*` controls on the server: stats, faults and the clock. */
export interface TestApiTarget {
  readonly rootToken: string;
  readonly faults: FaultRegistry;
  readonly clock: TestClock;
  stats(): ServerStats;
  resetStats(): void;
}

/** The `/__test/*` control API (root token only): stats, faults, clock. */
export async function handleTestApi(
  server: TestApiTarget,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  pathname: string,
): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(req, 1024 * 1024);
  } catch {
    return sendAnswer(res, {
      status: 413,
      headers: JSON_HEADERS,
      body: '{"errors":["request body too large"]}\n',
    });
  }
  if (tokenFrom(req.headers) !== server.rootToken) {
    return sendAnswer(res, {
      status: 403,
      headers: JSON_HEADERS,
      body: '{"errors":["permission denied"]}\n',
    });
  }
  const json = (status: number, value: unknown): void =>
    sendAnswer(res, { status, headers: JSON_HEADERS, body: `${JSON.stringify(value)}\n` });
  let body: Record<string, unknown> = {};
  if (raw.length) {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        body = parsed as Record<string, unknown>;
    } catch {
      return json(400, { errors: ['failed to decode JSON input'] });
    }
  }
  const path = pathname.replace(/\/+$/, '');
  if (path === '/__test/stats' && method === 'GET') return json(200, server.stats());
  if (path === '/__test/stats/reset' && method === 'POST') {
    server.resetStats();
    return sendAnswer(res, { status: 204, headers: JSON_HEADERS });
  }
  if (path === '/__test/faults' && method === 'POST') {
    try {
      const fault = server.faults.inject(body as unknown as FaultOptions);
      return json(200, { id: fault.id });
    } catch (err) {
      return json(400, { errors: [err instanceof Error ? err.message : 'invalid fault'] });
    }
  }
  if (path === '/__test/faults' && method === 'GET') {
    return json(200, {
      faults: server.faults
        .list()
        .map(f => ({ id: f.id, hits: f.hits, ...f.options, path: String(f.options.path) })),
    });
  }
  if (path === '/__test/faults' && method === 'DELETE') {
    server.faults.clear();
    return sendAnswer(res, { status: 204, headers: JSON_HEADERS });
  }
  if (path.startsWith('/__test/faults/') && method === 'DELETE') {
    const removed = server.faults.remove(path.slice('/__test/faults/'.length));
    return removed
      ? sendAnswer(res, { status: 204, headers: JSON_HEADERS })
      : json(404, { errors: [] });
  }
  if (path === '/__test/clock/advance' && method === 'POST') {
    const ms = Number(body.ms);
    if (!Number.isFinite(ms) || ms < 0) return json(400, { errors: ['ms must be a number >= 0'] });
    server.clock.advance(ms);
    return json(200, { now: server.clock.now() });
  }
  return json(404, { errors: [] });
}
