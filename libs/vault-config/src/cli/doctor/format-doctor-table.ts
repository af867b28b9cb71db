import { safeText } from '../../utils/safe-text.js';
import type { DoctorCheck } from './doctor-check.interface.js';

const HEADER: DoctorCheck = {
  check: 'CHECK',
  status: 'STATUS' as never,
  detail: 'DETAIL',
  fix: 'FIX',
};

/** An aligned plain-text table `CHECK  STATUS  DETAIL  FIX`, one row per check. */
export function formatDoctorTable(checks: readonly DoctorCheck[]): string {
  const rows = [HEADER, ...checks].map(c => [
    safeText(c.check, 80),
    c.status,
    safeText(c.detail, 400),
    safeText(c.fix, 400),
  ]);
  const widths = [0, 1, 2].map(i => Math.max(...rows.map(r => r[i].length)));
  return rows
    .map(r =>
      r
        .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
