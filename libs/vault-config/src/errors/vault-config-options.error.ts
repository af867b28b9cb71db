import { VaultConfigError } from './vault-config.error.js';

export interface OptionProblem {
  /** Option path, e.g. `sources[1].mount`. */
  option: string;
  message: string;
}

/** The options are wrong; lists every problem found, each naming its option path. */
export class VaultConfigOptionsError extends VaultConfigError {
  /** The first problem's option path. */
  readonly option: string;
  readonly problems: OptionProblem[];

  constructor(problems: OptionProblem[]) {
    super(
      `Invalid vault-config options: ${problems.map(p => `${p.option} ${p.message}`).join('; ')}.`,
      'VAULT_CONFIG_OPTIONS',
    );
    this.option = problems[0]?.option ?? '';
    this.problems = problems;
  }
}
