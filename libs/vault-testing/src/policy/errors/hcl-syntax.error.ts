/** Broken HCL syntax; the message starts with `At <line>:<column>:` like hashicorp/hcl's. */
export class HclSyntaxError extends Error {
  constructor(line: number, column: number, detail: string) {
    super(`At ${line}:${column}: ${detail}`);
    this.name = 'HclSyntaxError';
  }
}
