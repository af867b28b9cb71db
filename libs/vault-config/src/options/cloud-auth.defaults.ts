export const DEFAULT_AWS_MOUNT = 'aws';
export const DEFAULT_GCP_MOUNT = 'gcp';
export const DEFAULT_AZURE_MOUNT = 'azure';
/** Vault's default `resource` for the azure method: Azure Resource Manager. */
export const DEFAULT_AZURE_RESOURCE = 'https://management.azure.com/';
export const DEFAULT_AZURE_IMDS_ENDPOINT = 'http://169.254.169.254';
/** The Azure SDKs' override of the instance metadata service address. */
export const AZURE_IMDS_ENV = 'AZURE_POD_IDENTITY_AUTHORITY_HOST';
