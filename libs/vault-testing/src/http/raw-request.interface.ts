import type { X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** One `/v1/...` request as the HTTP layer hands it to the router. */
export interface RawRequest {
  method: string;
  /** URL path after `/v1/`, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  remoteAddress: string;
  /** The leaf certificate the TLS client presented, then the chain it sent with it. */
  clientCertificate?: X509Certificate;
  clientChain?: readonly X509Certificate[];
}
