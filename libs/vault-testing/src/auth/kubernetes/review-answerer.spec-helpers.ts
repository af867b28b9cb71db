import { createServer } from 'node:http';

export interface ReviewAnswerer {
  /** `kubernetes_host` (plain http on 127.0.0.1). */
  readonly url: string;
  /** Tokens reviewed, in order. */
  readonly reviewed: string[];
  stop(): Promise<void>;
}

/**
 * For the test server's own specs: a Kubernetes API that confirms whatever service account a
 * token's claims name (the signature-checking stand-in is test/support/kubernetes-api.stand-in.ts,
 * used by the contract suite against OpenBao too). Here it is the claims handling under test.
 */
export async function startReviewAnswerer(): Promise<ReviewAnswerer> {
  const reviewed: string[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += String(c)));
    req.on('end', () => {
      const spec = (JSON.parse(text) as { spec: { token: string; audiences?: string[] } }).spec;
      reviewed.push(spec.token);
      const claims = JSON.parse(
        Buffer.from(spec.token.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as Record<string, unknown>;
      const nested = claims['kubernetes.io'] as
        { namespace: string; serviceaccount: { name: string; uid?: string } } | undefined;
      const username =
        typeof claims.sub === 'string'
          ? claims.sub
          : `system:serviceaccount:${nested?.namespace}:${nested?.serviceaccount.name}`;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'TokenReview',
          apiVersion: 'authentication.k8s.io/v1',
          status: {
            authenticated: true,
            user: { username, uid: nested?.serviceaccount.uid },
            audiences: spec.audiences ?? [],
          },
        }),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    reviewed,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
