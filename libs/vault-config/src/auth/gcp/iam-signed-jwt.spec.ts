import { describe, expect, it } from '@jest/globals';
import { iamJwtClaims, signJwtUrl } from './iam-signed-jwt.js';

describe("the iam login's JWT", () => {
  it('claims the service account, the audience vault/<role> and a 10-minute expiry', () => {
    expect(iamJwtClaims('sa@p.iam.gserviceaccount.com', 'billing', 1_700_000_000_500)).toEqual({
      sub: 'sa@p.iam.gserviceaccount.com',
      aud: 'vault/billing',
      exp: 1_700_000_600,
    });
  });

  it('is signed at the IAM Credentials signJwt URL of that account', () => {
    expect(
      signJwtUrl('https://iamcredentials.googleapis.com', 'sa@p.iam.gserviceaccount.com'),
    ).toBe(
      'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/sa%40p.iam.gserviceaccount.com:signJwt',
    );
  });
});
