/** A value in the HCL (v1) object model that Vault policies use. */
export type HclValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'list'; readonly items: readonly HclValue[] }
  | { readonly kind: 'object'; readonly items: readonly HclItem[] };

/** `key "label" ... = value` or `key "label" { ... }`: one entry of an object list. */
export interface HclItem {
  readonly keys: readonly string[];
  readonly value: HclValue;
  readonly line: number;
  readonly column: number;
}
