import * as http from 'node:http';
import type * as Https from 'node:https';

/** Why a guard stopped a request: a redirect it will not follow, or a plain-http one it will not make. */
export interface RedirectGuardState {
  /** The status of the first answer, once it came. */
  firstStatus?: number;
  /** Set when a second request (a redirect being followed) was stopped before it was sent. */
  refused: boolean;
}

type AnyAgent = http.Agent;

/**
 * An agent for one call that lets one request through and stops any other before it is written:
 * a library that follows redirects on its own (axios in node-vault) asks its agent for a second
 * request when it follows one, and that request would carry `X-Vault-Token` and the body to
 * wherever the redirect points. `allowFirst: false` stops every request (a plain-http agent for
 * an https Vault: a redirect to http:// is a downgrade).
 */
export function oneRequestAgent(
  base: typeof http.Agent | typeof Https.Agent,
  state: RedirectGuardState,
  allowFirst: boolean,
): AnyAgent {
  let used = !allowFirst;
  const agent = new base({ keepAlive: false }) as AnyAgent & {
    addRequest(req: http.ClientRequest, options: unknown): void;
  };
  const addRequest = agent.addRequest.bind(agent);
  agent.addRequest = (req: http.ClientRequest, options: unknown) => {
    if (used) {
      state.refused = true;
      // Failed as an agent fails a socket it could not open: before a byte is written, so no
      // token and no body leaves the process.
      const refused = Object.assign(new Error('redirect not followed'), {
        code: 'EREDIRECT_REFUSED',
      });
      (req as unknown as { onSocket(socket: null, error: Error): void }).onSocket(null, refused);
      return;
    }
    used = true;
    req.once('response', (res: http.IncomingMessage) => {
      state.firstStatus ??= res.statusCode;
    });
    addRequest(req, options);
  };
  return agent;
}
