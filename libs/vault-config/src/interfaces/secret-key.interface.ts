/**
 * The keys of a secrets type. A schema class gives its property names; without one (`T` is `object`,
 * as when Nest infers it from `app.get(SecretsService)`) any string is a key.
 */
export type SecretKey<T> = [keyof T] extends [never] ? string : keyof T & string;

/** The value type of key `K`: the schema's property type, else `string` (values read from Vault). */
export type SecretValue<T, K extends string> = K extends keyof T ? T[K] : string;
