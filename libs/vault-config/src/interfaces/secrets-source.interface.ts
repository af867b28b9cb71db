import type { SecretSnapshot } from '../secrets/secret-snapshot.js';
import type {
  SecretsChangedListener,
  SecretsRefreshResult,
} from './secrets-changed-event.interface.js';

/** What `SecretsService` reads from: the current snapshot, refresh and change events. @internal */
export interface SecretsSource {
  readonly snapshot: SecretSnapshot;
  refresh(): Promise<SecretsRefreshResult>;
  onChange(listener: SecretsChangedListener): () => void;
}
