import { ValueError } from '../errors.js';
import { nodeFileSystem, writeFileAtomic } from '../io/atomic-write.js';
import { readCheckpoint, checkpointText, type CheckpointIdentity, type LoopState, type ModelState } from './checkpoint-file.js';
import type { CheckpointSettings } from './checkpoint-options.js';
import type { EpochCheckpoints } from './fit.js';

/** What a checkpointed model gives and takes: its part of the training state. */
export interface CheckpointedModel {
  /** The identity a checkpoint must match (architecture, optimizer, fit settings). */
  checkpointIdentity(): CheckpointIdentity;
  captureState(): ModelState;
  restoreState(state: ModelState): void;
}

/**
 * Reads and writes one fit's checkpoint file (Node): `resume()` before the epoch loop restores the
 * model's part and returns the loop's part; the loop calls `write` at the end of epochs.
 */
export class Checkpointer implements EpochCheckpoints {
  readonly every: number;
  private readonly where: string;

  constructor(
    private readonly settings: CheckpointSettings,
    private readonly model: CheckpointedModel,
  ) {
    this.every = settings.every;
    this.where = `fit: checkpoint ${String(settings.path)}`;
  }

  /**
   * With `resume: true` and an existing file: restores the model's state and returns the loop's;
   * else null. Called before training, so that a missing file system fails before any epoch.
   */
  async resume(): Promise<LoopState | null> {
    const fs = await nodeFileSystem(this.where);
    if (!this.settings.resume) return null;
    let text: string;
    try {
      text = await fs.readFile(this.settings.path, 'utf8');
    } catch (cause) {
      if ((cause as { code?: unknown }).code === 'ENOENT') return null;
      throw new ValueError(`${this.where}: cannot read the file: ${(cause as Error).message}`, { cause });
    }
    const checkpoint = readCheckpoint(this.where, text, this.model.checkpointIdentity());
    this.model.restoreState(checkpoint.model);
    return checkpoint.loop;
  }

  async write(loop: LoopState): Promise<void> {
    const text = checkpointText(this.model.checkpointIdentity(), { loop, model: this.model.captureState() });
    const fs = await nodeFileSystem(this.where);
    const path = this.settings.path;
    const file = path instanceof URL ? (await import('node:url')).fileURLToPath(path) : path;
    try {
      await writeFileAtomic(fs, file, text);
    } catch (cause) {
      throw new ValueError(`${this.where}: cannot write the file (an existing checkpoint there is left as it was): ${(cause as Error).message}`, { cause });
    }
  }
}
