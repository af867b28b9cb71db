/** The cloud auth options after validation and defaults (see CloudAuthOptions). */
export type ResolvedCloudAuthOptions =
  | {
      method: 'aws';
      role: string;
      mount: string;
      region?: string;
      iamServerIdHeader?: string;
    }
  | {
      method: 'gcp';
      role: string;
      mount: string;
      type: 'gce' | 'iam';
      serviceAccountEmail?: string;
      iamCredentialsEndpoint?: string;
    }
  | {
      method: 'azure';
      role: string;
      mount: string;
      resource: string;
      /** Without a trailing slash. */
      imdsEndpoint: string;
    };
