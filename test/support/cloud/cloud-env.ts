/**
 * The cloud SDKs read process.env (and files named there). Each cloud suite runs with an
 * environment of its own: every AWS_/AZURE_/GOOGLE_/GCE_ variable removed, the AWS shared files
 * and gcloud's config pointed into a scratch folder (never the developer's HOME), and EC2 metadata
 * off unless a test turns it on. `restore()` puts the environment back exactly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLOUD_VARS = /^(AWS_|AZURE_|GOOGLE_|GCE_|GCLOUD_|CLOUDSDK_|IDENTITY_|MSI_|METADATA_SERVER)/;

export interface CloudEnv {
  /** A scratch folder for credential files; removed by restore(). */
  readonly dir: string;
  /** Sets (a string) or removes (undefined) variables on top of the isolated base. */
  set(vars: Record<string, string | undefined>): void;
  /** Back to the isolated base. */
  reset(): void;
  restore(): void;
}

export function isolateCloudEnv(): CloudEnv {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'cloud-env-'));
  const base: Record<string, string> = {
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CLOUDSDK_CONFIG: join(dir, 'gcloud'),
  };
  const apply = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  const reset = () => {
    for (const k of Object.keys(process.env)) if (CLOUD_VARS.test(k)) delete process.env[k];
    apply(base);
  };
  reset();
  return {
    dir,
    set: apply,
    reset,
    restore: () => {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      apply(saved);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
