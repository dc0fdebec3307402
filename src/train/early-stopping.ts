import { OptionError, bool, checkOptionNames, describe, oneOf } from '../errors.js';
import type { Logs } from './callbacks.js';

/** fit's `earlyStopping` option (Keras' EarlyStopping callback). */
export interface EarlyStoppingOptions {
  /** Log to watch. Default 'val_loss' with validation data, else 'loss'. */
  monitor?: string;
  /** Epochs without improvement before stopping. Default 0 (Keras). */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** At the end of training, put back the weights of the best epoch (Keras' restore_best_weights). Default false. */
  restoreBest?: boolean;
  /** 'min', 'max', or 'auto' (default: 'max' for accuracy, else 'min'). */
  mode?: 'auto' | 'min' | 'max';
}

const OPTION_NAMES = ['monitor', 'patience', 'minDelta', 'restoreBest', 'mode'] as const;

/** What early stopping remembers between epochs (saved in checkpoints). */
export interface EarlyStoppingState {
  /** The best value so far, sign-adjusted so that lower is better (Infinity before the first epoch). */
  best: number;
  /** Epochs since the last improvement. */
  wait: number;
  bestEpoch: number;
}

/** What happened at an epoch's end. */
export type StoppingDecision = 'improved' | 'waiting' | 'stop';

/** Watches one log per epoch and decides when to stop. */
export class EarlyStopping {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  private readonly sign: 1 | -1;
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;
  /** Epoch of the best value so far (−1 before the first). */
  bestEpoch = -1;

  constructor(where: string, options: EarlyStoppingOptions, availableLogs: readonly string[]) {
    const at = `${where}: earlyStopping`;
    if (typeof options !== 'object' || options === null) throw new OptionError(`${at} must be an object such as { patience: 3 }, got ${describe(options)}`);
    checkOptionNames(at, options, OPTION_NAMES);
    this.monitor = options.monitor ?? (availableLogs.includes('val_loss') ? 'val_loss' : 'loss');
    if (!availableLogs.includes(this.monitor)) {
      throw new OptionError(`${at}: monitor '${this.monitor}' is not logged by this fit; logged: ${availableLogs.map((l) => `'${l}'`).join(', ')}`);
    }
    const patience = options.patience ?? 0;
    if (typeof patience !== 'number' || !Number.isInteger(patience) || patience < 0) throw new OptionError(`${at}: patience must be an integer ≥ 0, got ${describe(patience)}`);
    const minDelta = options.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !(minDelta >= 0) || !Number.isFinite(minDelta)) throw new OptionError(`${at}: minDelta must be a finite number ≥ 0, got ${describe(minDelta)}`);
    this.patience = patience;
    this.minDelta = minDelta;
    this.restoreBest = bool(at, 'restoreBest', options.restoreBest ?? false);
    const mode = oneOf(at, 'mode', options.mode ?? 'auto', ['auto', 'min', 'max'] as const);
    const maximise = mode === 'max' || (mode === 'auto' && /acc/.test(this.monitor));
    this.sign = maximise ? -1 : 1;
  }

  /** Compares this epoch's value with the best (improvement: better by more than minDelta). */
  update(epoch: number, logs: Logs): StoppingDecision {
    const value = this.sign * logs[this.monitor]!;
    if (value < this.best - this.minDelta) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      return 'improved';
    }
    this.wait++;
    return this.wait >= this.patience ? 'stop' : 'waiting';
  }

  getState(): EarlyStoppingState {
    return { best: this.best, wait: this.wait, bestEpoch: this.bestEpoch };
  }

  setState(state: EarlyStoppingState): void {
    this.best = state.best;
    this.wait = state.wait;
    this.bestEpoch = state.bestEpoch;
  }
}
