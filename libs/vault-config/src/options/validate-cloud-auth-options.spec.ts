import { validateVaultConfigOptions } from './validate-vault-config-options.js';
import type { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import { describe, expect, it, jest } from '@jest/globals';
import type { Report } from './option-reader.js';
import { validateAuthOptions } from './validate-auth-options.js';

const resolve = (auth: unknown, env: NodeJS.ProcessEnv = {}) => {
  const report = jest.fn<Report>();
  const resolved = validateAuthOptions({ auth }, env, report);
  return { resolved, problems: report.mock.calls };
};
const problemsOf = (auth: unknown, env?: NodeJS.ProcessEnv) => resolve(auth, env).problems;

describe('validateAuthOptions: cloud methods', () => {
  it("fills each method's defaults", () => {
    expect(resolve({ method: 'aws', role: 'app' })).toEqual({
      resolved: { method: 'aws', role: 'app', mount: 'aws' },
      problems: [],
    });
    expect(resolve({ method: 'gcp', role: 'app', type: 'gce' })).toEqual({
      resolved: { method: 'gcp', role: 'app', mount: 'gcp', type: 'gce' },
      problems: [],
    });
    expect(resolve({ method: 'azure', role: 'app' })).toEqual({
      resolved: {
        method: 'azure',
        role: 'app',
        mount: 'azure',
        resource: 'https://management.azure.com/',
        imdsEndpoint: 'http://169.254.169.254',
      },
      problems: [],
    });
  });

  it('keeps the given fields, normalised', () => {
    expect(
      resolve({
        method: 'aws',
        role: ' app ',
        mount: '/aws-prod/',
        region: 'eu-west-1',
        iamServerIdHeader: 'vault.example.com',
      }).resolved,
    ).toEqual({
      method: 'aws',
      role: 'app',
      mount: 'aws-prod',
      region: 'eu-west-1',
      iamServerIdHeader: 'vault.example.com',
    });
    expect(
      resolve({
        method: 'gcp',
        role: 'app',
        type: 'iam',
        serviceAccountEmail: 'sa@p.iam.gserviceaccount.com',
        iamCredentialsEndpoint: 'https://iamcredentials.example.test/',
      }).resolved,
    ).toMatchObject({
      serviceAccountEmail: 'sa@p.iam.gserviceaccount.com',
      iamCredentialsEndpoint: 'https://iamcredentials.example.test',
    });
  });

  it('the Azure metadata endpoint: the option, else AZURE_POD_IDENTITY_AUTHORITY_HOST', () => {
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://10.0.0.1:8080/' };
    expect(resolve({ method: 'azure', role: 'r' }, env).resolved).toMatchObject({
      imdsEndpoint: 'http://10.0.0.1:8080',
    });
    expect(
      resolve({ method: 'azure', role: 'r', imdsEndpoint: 'http://127.0.0.1:1' }, env).resolved,
    ).toMatchObject({ imdsEndpoint: 'http://127.0.0.1:1' });
    expect(
      problemsOf({ method: 'azure', role: 'r' }, { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'x' }),
    ).toEqual([['AZURE_POD_IDENTITY_AUTHORITY_HOST', 'must be an http(s) URL']]);
  });

  it('reports a missing field under its auth.* path', () => {
    expect(problemsOf({ method: 'aws' })).toEqual([['auth.role', 'is required']]);
    expect(problemsOf({ method: 'gcp', role: 'r' })).toEqual([
      ['auth.type', "is required: 'gce' or 'iam'"],
    ]);
    expect(problemsOf({ method: 'azure', role: '' })).toEqual([
      ['auth.role', 'must be a non-empty string'],
    ]);
  });

  it('reports wrong and contradictory fields', () => {
    expect(problemsOf({ method: 'aws', role: 'r', region: 'Ireland' })).toEqual([
      ['auth.region', 'must be an AWS region such as eu-west-1'],
    ]);
    expect(problemsOf({ method: 'aws', role: 'r', iamServerIdHeader: 'a\r\nX-Evil: 1' })).toEqual([
      ['auth.iamServerIdHeader', 'must be a header value without line breaks'],
    ]);
    expect(problemsOf({ method: 'gcp', role: 'r', type: 'gke' })).toEqual([
      ['auth.type', "must be 'gce' or 'iam'"],
    ]);
    expect(
      problemsOf({ method: 'gcp', role: 'r', type: 'gce', serviceAccountEmail: 'sa@p' }),
    ).toEqual([['auth.serviceAccountEmail', "applies to type 'iam' only"]]);
    expect(
      problemsOf({ method: 'gcp', role: 'r', type: 'iam', iamCredentialsEndpoint: 'ftp://x' }),
    ).toEqual([['auth.iamCredentialsEndpoint', 'must be an http(s) URL']]);
    expect(problemsOf({ method: 'azure', role: 'r', imdsEndpoint: '169.254.169.254' })).toEqual([
      ['auth.imdsEndpoint', 'must be an http(s) URL'],
    ]);
    expect(problemsOf({ method: 'aws', role: 'r', mount: 'a//b' })).toEqual([
      ['auth.mount', 'must be a mount path such as aws'],
    ]);
  });

  it('a field of another method (or a typo) is named, not ignored', () => {
    const namesOf = (auth: unknown) => {
      try {
        validateVaultConfigOptions({ address: 'http://127.0.0.1:8200', auth }, {});
      } catch (error) {
        return (error as VaultConfigOptionsError).problems.map(p => [p.option, p.message]);
      }
      return [];
    };
    expect(namesOf({ method: 'aws', role: 'r', type: 'iam' })).toEqual([
      ['auth.type', expect.stringMatching(/^is not an option/)],
    ]);
    expect(namesOf({ method: 'azure', role: 'r', region: 'westeurope' })).toEqual([
      ['auth.region', expect.stringMatching(/^is not an option/)],
    ]);
    expect(namesOf({ method: 'aws', role: 'r', iamServerIDHeader: 'x' })).toEqual([
      ['auth.iamServerIDHeader', expect.stringMatching(/did you mean auth\.iamServerIdHeader\?/)],
    ]);
  });
});
