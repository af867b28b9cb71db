import { loadCloudSdk } from '../cloud/load-cloud-sdk.js';

export const AWS_SDK_PACKAGES = [
  '@aws-sdk/credential-providers',
  '@smithy/signature-v4',
  '@aws-crypto/sha256-js',
] as const;

/** The three optional packages of the aws method, loaded on its first login. */
export async function loadAwsSdk() {
  return loadCloudSdk('aws', AWS_SDK_PACKAGES, async () => {
    const [providers, signature, sha256] = await Promise.all([
      import('@aws-sdk/credential-providers'),
      import('@smithy/signature-v4'),
      import('@aws-crypto/sha256-js'),
    ]);
    return {
      fromNodeProviderChain: providers.fromNodeProviderChain,
      SignatureV4: signature.SignatureV4,
      Sha256: sha256.Sha256,
    };
  });
}

export type AwsSdk = Awaited<ReturnType<typeof loadAwsSdk>>;
