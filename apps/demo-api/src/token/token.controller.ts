import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { TokenService, type SignedToken } from './token.service.js';

const SUBJECT = /^[\w.@-]{1,64}$/;

@Controller('token')
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  /** `POST /token {"subject":"alice"}` → a signed token; the signing secret is never returned. */
  @Post()
  @HttpCode(201)
  issue(@Body() body: unknown): SignedToken {
    const subject = readSubject(body);
    if (subject === undefined) {
      throw new BadRequestException('subject must be 1-64 characters of letters, digits, . @ _ -');
    }
    return this.tokens.sign(subject);
  }
}

function readSubject(body: unknown): string | undefined {
  if (body === undefined || body === null || typeof body !== 'object') return 'demo-user';
  const subject = (body as { subject?: unknown }).subject;
  if (subject === undefined) return 'demo-user';
  return typeof subject === 'string' && SUBJECT.test(subject) ? subject : undefined;
}
