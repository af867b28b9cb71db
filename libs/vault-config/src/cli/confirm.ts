import { createInterface } from 'node:readline';
import type { CliIo } from './cli-io.interface.js';
import { CliUsageError } from './errors/cli-usage.error.js';

/** One answer line from process.stdin (a TTY), the question written to `io.stdout`. */
function terminalPrompt(io: CliIo): ((question: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return question =>
    new Promise<string>(resolve => {
      const rl = createInterface({ input: process.stdin, terminal: false });
      io.stdout.write(question);
      rl.once('line', line => {
        resolve(line); // before close(): closing emits 'close', which resolves with ''
        rl.close();
      });
      rl.once('close', () => resolve(''));
    });
}

/**
 * Asks `Apply? [y/N]`; true only for y/yes. Without an interactive prompt (stdin is not a TTY and
 * the io gives none) it refuses with a usage error: a script must say `--yes`.
 */
export async function confirmApply(io: CliIo, command: string): Promise<boolean> {
  const prompt = io.prompt === undefined ? terminalPrompt(io) : io.prompt;
  if (!prompt) throw new CliUsageError('stdin is not a terminal: pass --yes to write', command);
  const answer = await prompt('Apply? [y/N] ');
  return /^y(es)?$/i.test(answer.trim());
}
