/** Per request to a metadata service or token endpoint (they answer in milliseconds when present). */
export const CLOUD_HTTP_TIMEOUT_MS = 5000;
/**
 * The whole of one such request, connection to last byte: the idle timeout above never fires on an
 * endpoint that sends a byte every few seconds.
 */
export const CLOUD_HTTP_DEADLINE_MS = 10_000;
/**
 * Everything a cloud login fetches before it asks Vault (credential chain, metadata, STS or token
 * exchange): past it the login fails, so a hung endpoint cannot hold up the boot or every later
 * re-login (they share the one in flight).
 */
export const CLOUD_CREDENTIALS_DEADLINE_MS = 30_000;
/** Tokens and metadata documents are a few kilobytes; anything far larger is not one. */
export const MAX_CLOUD_RESPONSE_BYTES = 1024 * 1024;
/** Lifetime of the JWT the gcp iam login signs; Vault's roles accept at most 15 minutes by default. */
export const GCP_IAM_JWT_LIFETIME_S = 600;
