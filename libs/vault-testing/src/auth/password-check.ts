import { createHash, timingSafeEqual } from 'node:crypto';

/** A password as the test server keeps it: a digest, compared in constant time. */
export class StoredPassword {
  private readonly digest: Buffer;

  constructor(password: string) {
    this.digest = createHash('sha256').update(password).digest();
  }

  matches(candidate: string): boolean {
    return timingSafeEqual(this.digest, createHash('sha256').update(candidate).digest());
  }
}
