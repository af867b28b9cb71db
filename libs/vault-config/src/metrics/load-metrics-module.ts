/** The metrics code, loaded once the runtime runs (never on the boot path). */
export type MetricsModule = typeof import('./start-vault-metrics.js');

export const loadMetricsModule = (): Promise<MetricsModule> => import('./start-vault-metrics.js');
