/** Per request to a metadata service or token endpoint (they answer in milliseconds when present). */
export const CLOUD_HTTP_TIMEOUT_MS = 5000;
/** Tokens and metadata documents are a few kilobytes; anything far larger is not one. */
export const MAX_CLOUD_RESPONSE_BYTES = 1024 * 1024;
/** Lifetime of the JWT the gcp iam login signs; Vault's roles accept at most 15 minutes by default. */
export const GCP_IAM_JWT_LIFETIME_S = 600;
