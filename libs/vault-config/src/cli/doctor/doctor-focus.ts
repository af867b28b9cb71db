/**
 * What `doctor` judges. `app` (`--for-app`): only what the running app needs (read; KV v2 metadata
 * read when `refresh.useMetadata`). `cli` (`--for-cli`): what `migrate` and `rotate` need as well, so
 * a read-only token warns. `all` (the default): the app's needs, and what migrate/rotate may do as
 * information that never warns.
 */
export type DoctorFocus = 'all' | 'app' | 'cli';
