import { OptionError, bool, checkOptionNames, describe, positiveInteger } from '../errors.js';

/**
 * fit's `checkpoint` option (Keras' BackupAndRestore): `{ path, every?, resume? }`. Every `every`
 * epochs, and when the fit ends, the whole training state is written to `path` atomically; with
 * `resume: true` a fit finding the file there continues from it instead of starting over.
 */
export interface CheckpointOptions {
  /** File of the checkpoint (Node): a path or a `file:` URL. */
  path: string | URL;
  /** Write after every `every`-th epoch (counted from epoch 0, so a resumed fit keeps the cadence). Default 1. */
  every?: number;
  /** Continue from the file when it exists (start from scratch when it does not). Default false. */
  resume?: boolean;
}

export interface CheckpointSettings {
  path: string | URL;
  every: number;
  resume: boolean;
}

const OPTION_NAMES = ['path', 'every', 'resume'] as const;

export function readCheckpointOptions(where: string, value: unknown): CheckpointSettings | null {
  if (value === undefined) return null;
  const at = `${where}: checkpoint`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OptionError(`${at} must be an object such as { path: 'run.checkpoint.json', every: 1 }, got ${describe(value)}`);
  }
  checkOptionNames(at, value, OPTION_NAMES);
  const { path, every, resume } = value as Partial<CheckpointOptions>;
  if (!((typeof path === 'string' && path !== '') || path instanceof URL)) throw new OptionError(`${at}: path must be a non-empty string or a file URL, got ${describe(path)}`);
  return { path, every: positiveInteger(at, 'every', every ?? 1), resume: bool(at, 'resume', resume ?? false) };
}
