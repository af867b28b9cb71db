/** Thrown for policy text Vault would reject; the message reads like Vault's `failed to parse policy: ...`. */
export class PolicyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyParseError';
  }
}
