export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One row of the doctor's table: what was checked, how it went, and what to do about it. */
export interface DoctorCheck {
  readonly check: string;
  readonly status: DoctorStatus;
  readonly detail: string;
  /** '-' when there is nothing to do. */
  readonly fix: string;
}
