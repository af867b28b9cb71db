/** The step of the module's life a policy rule serves: what fails without it. */
export type PolicyStep = 'boot' | 'refresh' | 'renewal' | 'revocation' | 'health';

export type PolicyCapability = 'read' | 'update';

/** One `path` block of the generated policy, with the options it serves. */
export interface PolicyRule {
  readonly path: string;
  readonly capabilities: readonly PolicyCapability[];
  /** The first step that needs it (a boot read is also repeated by refreshes and re-issues). */
  readonly step: PolicyStep;
  /** The options it serves, e.g. `sources[0] (KV v2)`, `refresh.useMetadata`. */
  readonly servedOptions: readonly string[];
  /** What the module does with it. */
  readonly why: string;
  /** What the module does without it, when it copes (the rule then saves requests, not a step). */
  readonly withoutIt?: string;
}
