/** Where the cloud auth methods reach cloud services that Vault's plugins give no setting for. */
export interface VaultTestCloudOptions {
  /**
   * Entra ID's authority for the `azure` auth method's OpenID discovery
   * (`<authority><tenant_id>/.well-known/openid-configuration`); default
   * `https://login.microsoftonline.com/`. Tests point it at a local stand-in. (The `aws` method's
   * STS and the `gcp` method's Google APIs are set the Vault way: `sts_endpoint`,
   * `custom_endpoint`.)
   */
  azureAuthorityHost?: string;
}
