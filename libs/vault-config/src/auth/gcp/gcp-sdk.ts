import { loadCloudSdk } from '../cloud/load-cloud-sdk.js';

/** google-auth-library, loaded on the first gcp login. */
export async function loadGoogleAuth() {
  return loadCloudSdk('gcp', ['google-auth-library'], async () => {
    const lib = await import('google-auth-library');
    return { GoogleAuth: lib.GoogleAuth, gcpMetadata: lib.gcpMetadata };
  });
}

export type GoogleAuthSdk = Awaited<ReturnType<typeof loadGoogleAuth>>;

/** A Google API error without its request (whose headers hold the access token): status and message. */
export function googleErrorDetail(error: unknown): string {
  const e = (error ?? {}) as {
    status?: unknown;
    code?: unknown;
    response?: { status?: unknown; data?: unknown };
  };
  const status = typeof e.response?.status === 'number' ? e.response.status : e.status;
  const data = e.response?.data as { error?: { message?: unknown; status?: unknown } } | undefined;
  const apiStatus = typeof data?.error?.status === 'string' ? data.error.status : undefined;
  if (typeof status === 'number') return `HTTP ${status}${apiStatus ? ` ${apiStatus}` : ''}`;
  if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code)) return e.code;
  return 'no answer';
}
