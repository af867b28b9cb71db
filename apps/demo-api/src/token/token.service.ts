import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SecretsService } from 'nestjs-vault-config';

export interface SignedToken {
  token: string;
  expiresAt: string;
}

const TOKEN_TTL_S = 300;

/** Signs short-lived HS256 JWTs with JWT_SECRET from Vault; the secret never leaves this class. */
@Injectable()
export class TokenService {
  constructor(private readonly secrets: SecretsService) {}

  sign(subject: string, nowMs = Date.now()): SignedToken {
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + TOKEN_TTL_S;
    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const payload = base64url({ sub: subject, iat, exp });
    const signature = createHmac('sha256', String(this.secrets.getOrThrow('JWT_SECRET')))
      .update(`${header}.${payload}`)
      .digest('base64url');
    return {
      token: `${header}.${payload}.${signature}`,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
