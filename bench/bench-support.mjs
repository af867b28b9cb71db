// Shared helpers for the benches: medians, child boots, table printing.
import { spawn } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `node <script> ...args` in a fresh process; resolves with the JSON of its last stdout line. */
export function runChild(script, args, env, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', code => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0)
        return reject(
          new Error(`${script} ${args.join(' ')} exited ${code}: ${err.slice(0, 500)}`),
        );
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${script} printed no JSON line: ${out.slice(0, 200)}`));
      }
    });
  });
}

export function printTable(rows) {
  const cols = Object.keys(rows[0]);
  const widths = cols.map(c => Math.max(c.length, ...rows.map(r => String(r[c]).length)));
  const line = cells => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(cols));
  console.log(line(widths.map(w => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map(c => r[c])));
}

export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
