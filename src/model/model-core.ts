import { StateError } from '../errors.js';
import { modelToJSON, type ModelJSON, type SaveOptions } from '../io/model-json.js';
import { saveModel, type SaveResult } from '../io/save-model.js';
import type { Runtime } from '../kernels/runtime.js';
import type { Seq2SeqCore } from './seq2seq-core.js';
import type { SequentialCore } from './sequential-core.js';

/*
 * What every model shares, training or not: the backend it runs on, its training metadata, its
 * life cycle (dispose, then every use throws), and its saved form (toJSON / save). The model
 * cores (sequential-core.ts, seq2seq-core.ts) extend it and import no training code, so the
 * inference entry (`wasm-rnn/inference`) bundles them without the fit loop, optimizers and
 * losses; `Sequential` and `Seq2Seq` extend the cores with compile / fit / evaluate.
 */

/** A model as saved: a sequential stack or an encoder–decoder (the cores or their training subclasses). */
export type SavedModel = SequentialCore | Seq2SeqCore;

export abstract class ModelCore {
  /** Tells a loaded model's class apart: 'sequential' or 'seq2seq'. */
  abstract readonly kind: 'sequential' | 'seq2seq';
  /** The seed the weights were initialised from. */
  abstract readonly seed: number;
  abstract readonly runtime: Runtime;
  /** Epochs completed by every fit so far (e.g. `initialEpoch` when resuming). */
  epochsTrained = 0;
  /** The logs of the last epoch trained (loss, metrics, val_…), or null. */
  lastLogs: Record<string, number> | null = null;
  /** Set while a training subclass runs fit: inference methods and dispose refuse meanwhile. */
  protected fitting = false;
  private disposed = false;

  /**
   * The whole model as one JSON-ready object (versioned manifest, architecture, compile settings,
   * tokenizer, scaler, training metadata, weights as base64 of little-endian float32; the optimizer
   * state too with `{ includeOptimizer: true }`). `loadModel` / `modelFromJSON` rebuild it.
   */
  toJSON(this: SavedModel, options?: SaveOptions): ModelJSON {
    this.checkLive('toJSON');
    return modelToJSON(this, options);
  }

  /** Writes `toJSON(options)` to a file atomically (Node): the file is the old one or the whole new one. */
  async save(this: SavedModel, path: string | URL, options: SaveOptions = {}): Promise<SaveResult> {
    this.checkLive('save');
    return saveModel(this, path, options);
  }

  /** Releases the model's arena memory; later use throws StateError. Repeating it does nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.checkIdle('dispose');
    this.disposed = true;
    this.release();
  }

  /** Frees what the model holds in the arena (called once, by dispose). */
  protected abstract release(): void;

  /** Throws StateError after dispose. */
  checkLive(where: string): void {
    if (this.disposed) throw new StateError(`${where}: this model was disposed`);
  }

  /** Throws StateError while fit runs. */
  protected checkIdle(where: string): void {
    if (this.fitting) throw new StateError(`${where}: fit is running; wait for it to finish`);
  }
}
