import type { ServerResponse } from 'node:http';
import type { HttpAnswer } from './http-answer.js';

/** Writes `answer` unless the response is already gone (a reset, a fault, a client that left). */
export function sendAnswer(res: ServerResponse, answer: HttpAnswer): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
