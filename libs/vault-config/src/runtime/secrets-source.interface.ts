import type { SecretSnapshot } from '../snapshot/secret-snapshot.js';
import type {
  SecretsChangedListener,
  SecretsRefreshResult,
} from '../interfaces/secrets-changed-event.interface.js';

/** What `SecretsService` reads from: the current snapshot, refresh and change events. */
export interface SecretsSource {
  readonly snapshot: SecretSnapshot<Record<string, unknown>>;
  refresh(): Promise<SecretsRefreshResult>;
  onChange(listener: SecretsChangedListener): () => void;
}
