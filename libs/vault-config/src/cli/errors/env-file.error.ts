import { VaultConfigError } from '../../errors/vault-config.error.js';

/** A .env file cannot be read, parsed or rewritten. Names the file and a line, never its content. */
export class EnvFileError extends VaultConfigError {
  readonly file: string;
  readonly line?: number;

  constructor(details: { file: string; reason: string; line?: number }) {
    const where =
      details.line !== undefined ? `${details.file}, line ${details.line}` : details.file;
    super(`${where}: ${details.reason}.`, 'VAULT_CLI_ENV_FILE');
    this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
  }
}
