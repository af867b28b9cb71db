import type { SecretChange } from '../interfaces/secrets-changed-event.interface.js';
import type { SecretDescription } from '../interfaces/secret-description.interface.js';
import type { SnapshotEntry } from './secret-snapshot.js';

const where = (d: SecretDescription) => ({
  source: d.source,
  ...(d.mount !== undefined ? { mount: d.mount } : {}),
  ...(d.path !== undefined ? { path: d.path } : {}),
  ...(d.dynamic ? { dynamic: true as const } : {}),
});

/** Keys whose value or source differs between two merged maps (compared, never copied out). */
export function diffSecrets(
  before: ReadonlyMap<string, SnapshotEntry>,
  after: ReadonlyMap<string, SnapshotEntry>,
): SecretChange[] {
  const changes: SecretChange[] = [];
  for (const [key, next] of after) {
    const prev = before.get(key);
    if (!prev) {
      changes.push({ key, change: 'added', ...where(next.description), ...version(next) });
      continue;
    }
    const moved =
      prev.description.source !== next.description.source ||
      prev.description.mount !== next.description.mount ||
      prev.description.path !== next.description.path;
    if (prev.value !== next.value || moved) {
      changes.push({
        key,
        change: 'updated',
        ...where(next.description),
        ...(prev.description.version !== undefined
          ? { previousVersion: prev.description.version }
          : {}),
        ...version(next),
      });
    }
  }
  for (const [key, prev] of before) {
    if (!after.has(key)) {
      changes.push({ key, change: 'removed', ...where(prev.description), ...version(prev) });
    }
  }
  return changes;
}

/** True when the descriptions differ (e.g. a new KV version with the same values). */
export function descriptionsDiffer(
  before: ReadonlyMap<string, SnapshotEntry>,
  after: ReadonlyMap<string, SnapshotEntry>,
): boolean {
  if (before.size !== after.size) return true;
  for (const [key, next] of after) {
    const prev = before.get(key)?.description;
    if (!prev || prev.version !== next.description.version) return true;
  }
  return false;
}

const version = (e: SnapshotEntry) =>
  e.description.version !== undefined ? { version: e.description.version } : {};
