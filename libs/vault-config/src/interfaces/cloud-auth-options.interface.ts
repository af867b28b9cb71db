/**
 * The cloud auth methods. Each logs in again when its token cannot be renewed, resolving the cloud
 * credentials afresh at every login. The SDK each one needs is an optional peer dependency, loaded
 * only when the method is used.
 */

/**
 * Vault's `aws` auth, IAM type: a SigV4-signed `sts:GetCallerIdentity` request, with credentials
 * from the AWS default chain (environment, shared config and credentials files with `AWS_PROFILE`,
 * web identity token file as on EKS, ECS container credentials, EC2 instance metadata).
 * Needs `@aws-sdk/credential-providers`, `@smithy/signature-v4` and `@aws-crypto/sha256-js`.
 */
export interface AwsAuthOptions {
  method: 'aws';
  /** The Vault role (`auth/<mount>/role/<role>`, `auth_type=iam`). */
  role: string;
  /** Auth mount, default `aws`. */
  mount?: string;
  /**
   * Signs for the regional STS endpoint `sts.<region>.amazonaws.com`; Vault's `sts_endpoint` and
   * `sts_region` must name the same region. Default: the global endpoint `sts.amazonaws.com`
   * (us-east-1), Vault's default too.
   */
  region?: string;
  /** Sent and signed as `X-Vault-AWS-IAM-Server-ID`; Vault's `iam_server_id_header_value`. */
  iamServerIdHeader?: string;
}

/**
 * Vault's `gcp` auth. `gce`: the instance identity token of the metadata server
 * (`GCE_METADATA_HOST` overrides its address). `iam`: a JWT for the service account, signed by the
 * IAM Credentials API `signJwt` with application default credentials.
 * Needs `google-auth-library`.
 */
export interface GcpAuthOptions {
  method: 'gcp';
  /** The Vault role (`auth/<mount>/role/<role>`, `type=gce` or `type=iam`). */
  role: string;
  /** Auth mount, default `gcp`. */
  mount?: string;
  type: 'gce' | 'iam';
  /** `iam` only: the service account to sign for; default the one of the credentials. */
  serviceAccountEmail?: string;
  /** `iam` only: default `https://iamcredentials.googleapis.com` (the credentials' universe). */
  iamCredentialsEndpoint?: string;
}

/**
 * Vault's `azure` auth with a token for `resource`: from workload identity when
 * AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID and AZURE_TENANT_ID are set (AKS; AZURE_AUTHORITY_HOST
 * honoured), else the managed identity of the VM or scale set from the instance metadata service,
 * sent with its subscription, resource group and VM or scale set name. No SDK needed.
 */
export interface AzureAuthOptions {
  method: 'azure';
  /** The Vault role (`auth/<mount>/role/<role>`). */
  role: string;
  /** Auth mount, default `azure`. */
  mount?: string;
  /** The audience of the token: Vault's `resource`; default `https://management.azure.com/`. */
  resource?: string;
  /**
   * The instance metadata service; default AZURE_POD_IDENTITY_AUTHORITY_HOST (the Azure SDKs'
   * override), else `http://169.254.169.254`.
   */
  imdsEndpoint?: string;
}

export type CloudAuthOptions = AwsAuthOptions | GcpAuthOptions | AzureAuthOptions;
