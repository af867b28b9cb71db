import { describe, expect, it } from '@jest/globals';
import { VaultAuthError } from '../../errors/vault-auth.error.js';
import { workloadIdentityFrom } from './azure-token-sources.js';

describe('workloadIdentityFrom (the environment AKS injects)', () => {
  it('is undefined without AZURE_FEDERATED_TOKEN_FILE: the managed identity is used', () => {
    expect(workloadIdentityFrom({ AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't' })).toBeUndefined();
    expect(workloadIdentityFrom({ AZURE_FEDERATED_TOKEN_FILE: '  ' })).toBeUndefined();
  });

  it('reads the four variables; the authority defaults to Entra ID, without a trailing slash', () => {
    const env = {
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
      AZURE_CLIENT_ID: 'c',
      AZURE_TENANT_ID: 't',
    };
    expect(workloadIdentityFrom(env)).toEqual({
      tokenFile: '/var/run/secrets/azure/tokens/azure-identity-token',
      clientId: 'c',
      tenantId: 't',
      authorityHost: 'https://login.microsoftonline.com',
    });
    expect(
      workloadIdentityFrom({ ...env, AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/' })
        ?.authorityHost,
    ).toBe('https://login.microsoftonline.us');
  });

  it('a token file without client or tenant id is a VaultAuthError naming what is missing', () => {
    const error = (() => {
      try {
        return workloadIdentityFrom({ AZURE_FEDERATED_TOKEN_FILE: '/f' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(VaultAuthError);
    expect((error as Error).message).toBe(
      'Vault azure authentication failed: AZURE_FEDERATED_TOKEN_FILE is set but AZURE_CLIENT_ID and AZURE_TENANT_ID are not (workload identity needs all three).',
    );
  });
});
