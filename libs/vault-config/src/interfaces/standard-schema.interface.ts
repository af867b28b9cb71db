/**
 * The part of the Standard Schema spec (https://standardschema.dev, v1) the module uses, written
 * out here so the package needs no dependency for it. Zod (3.24+ and 4), Valibot 1, ArkType and
 * any other library implementing the spec give their schemas a `~standard` property of this shape.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1Props<Input, Output>;
}

export interface StandardSchemaV1Props<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (
    value: unknown,
  ) => StandardSchemaV1Result<Output> | Promise<StandardSchemaV1Result<Output>>;
  /** Only for types: the schema's input and output. */
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

export type StandardSchemaV1Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaV1Issue> };

export interface StandardSchemaV1Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** `StandardSchemaV1.InferOutput`: what a schema's `validate` resolves to on success. */
export type StandardSchemaV1Output<S extends StandardSchemaV1> = NonNullable<
  S['~standard']['types']
>['output'];
