/**
 * Which address an answer or a failure came from, when a transport spreads requests over several
 * (the failover transport): errors then name the node they came from, not the one now in use.
 */
const answeredBy = new WeakMap<object, string>();

export function markAnsweredBy<T extends object>(answer: T, address: string): T {
  answeredBy.set(answer, address);
  return answer;
}

/** The address `answer` came from, or `fallback` when the transport did not say. */
export function addressOf(answer: unknown, fallback: string): string {
  return (typeof answer === 'object' && answer !== null && answeredBy.get(answer)) || fallback;
}
