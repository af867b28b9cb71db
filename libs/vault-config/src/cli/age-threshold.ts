import { CliUsageError } from './errors/cli-usage.error.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86_400, h: 3600, m: 60, s: 1 };
const DURATION = /^(\d+[dhms])+$/;

/**
 * `--if-older-than 30d` (also `12h`, `90m`, `45s`, `1d12h`) in seconds; the message of a bad one
 * names the option and the forms, never the text given.
 */
export function parseAgeThreshold(text: string, command: string): number {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) {
    throw new CliUsageError(
      '--if-older-than must be a duration such as 30d, 12h, 90m or 45s',
      command,
    );
  }
  let seconds = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)([dhms])/g)) {
    seconds += Number(n) * UNIT_SECONDS[unit];
  }
  if (!Number.isSafeInteger(seconds)) {
    throw new CliUsageError('--if-older-than is too long', command);
  }
  return seconds;
}

/** `2d 3h`, `5h 10m`, `4m 2s`, `9s`, `30d`: the two largest units (a zero second one dropped). */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (days) parts.push(`${days}d`, `${hours}h`);
  else if (hours) parts.push(`${hours}h`, `${minutes}m`);
  else if (minutes) parts.push(`${minutes}m`, `${secs}s`);
  else return `${secs}s`;
  return parts[1].startsWith('0') ? parts[0] : parts.join(' ');
}
