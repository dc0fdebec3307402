import { oneOf } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import { Workspace } from '../layers/workspace.js';

/** Loss names as tfjs-layers spells them. */
export type LossName = 'meanSquaredError' | 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy' | 'binaryCrossentropy';
export const LOSS_NAMES: readonly LossName[] = ['meanSquaredError', 'sparseCategoricalCrossentropy', 'categoricalCrossentropy', 'binaryCrossentropy'];

/** Keras' snake_case names and the 'mse' shorthand, accepted too. */
const ALIASES: Record<string, LossName> = {
  mse: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
};

/** The canonical loss name of a name or alias; OptionError with a did-you-mean otherwise. */
export function lossName(where: string, value: unknown): LossName {
  const name = oneOf(where, 'loss', value, [...LOSS_NAMES, ...Object.keys(ALIASES)]);
  return ALIASES[name] ?? (name as LossName);
}

/** The output activation a loss computes itself from logits (null: it reads final outputs). */
export function fusedActivation(name: LossName): 'softmax' | 'sigmoid' | null {
  if (name === 'binaryCrossentropy') return 'sigmoid';
  if (name === 'meanSquaredError') return null;
  return 'softmax';
}

/** True when targets are one class id per row ([rows]) rather than [rows, cols]. */
export function sparseTargets(name: LossName): boolean {
  return name === 'sparseCategoricalCrossentropy';
}

/**
 * A padded element's logit in binaryCrossentropy: with target 0 its loss max(z, 0) − z·t +
 * log(1 + e^(−|z|)) and its gradient σ(z) − t are exactly 0 in f32 and f64 (e^(−10⁴) underflows).
 */
const PADDED_LOGIT = -1e4;

/**
 * One of the four losses on arena offsets, as a mean: over real rows for the cross-entropies
 * (as PyTorch's `ignore_index` mean), over the real rows' elements for meanSquaredError and
 * binaryCrossentropy (Keras' mean over the last axis, then over rows). The cross-entropies take
 * LOGITS and apply softmax / sigmoid inside (fused, stable for any logit), so a model keeps its
 * final Dense pre-activation while training.
 *
 * Padded rows (rowMask 0) add nothing to the loss or its gradient: the caller stores class id −1
 * (sparse) or zero targets there; meanSquaredError and binaryCrossentropy read a copy of the
 * outputs whose padded rows are set to 0 and PADDED_LOGIT.
 */
export class Loss {
  private readonly space: Workspace;
  private size = -1;
  private buffers = { probs: 0, scratch: 0, dOutput: 0 };
  // The last forward's arguments, for backward and predictions.
  private source = 0;
  private output = 0;
  private target = 0;
  private rows = 0;
  private cols = 0;
  private realRows = 0;
  private activatedFor = -1;
  private calls = 0;

  constructor(
    private readonly runtime: Runtime,
    readonly name: LossName,
  ) {
    this.space = new Workspace(runtime.arena);
  }

  /**
   * Mean loss of output [rows, cols] (logits for the cross-entropies) against target ([rows, cols],
   * or [rows] class ids for sparseCategoricalCrossentropy); rowMask [rows] 1/0 or 0 when every row
   * is real; realRows = rows whose mask is 1.
   */
  forward(output: number, target: number, rows: number, cols: number, rowMask: number, realRows: number): number {
    const k = this.runtime.kernels;
    this.layout(rows * cols);
    this.output = output;
    this.target = target;
    this.rows = rows;
    this.cols = cols;
    this.realRows = realRows;
    this.calls++;
    const { probs, scratch } = this.buffers;
    switch (this.name) {
      case 'sparseCategoricalCrossentropy':
        return k.softmaxCrossEntropyForward(probs, output, target, rows, cols) / realRows;
      case 'categoricalCrossentropy':
        return k.softmaxCrossEntropyDenseForward(probs, output, target, rows, cols) / realRows;
      case 'meanSquaredError':
        this.source = this.maskedCopy(output, scratch, rowMask, 0);
        return k.mseForward(this.source, target, rows * cols) / (realRows * cols);
      case 'binaryCrossentropy':
        this.source = this.maskedCopy(output, scratch, rowMask, PADDED_LOGIT);
        return k.bceWithLogitsForward(this.source, target, rows * cols) / (realRows * cols);
    }
  }

  /** ∂(mean loss)/∂output [rows, cols] of the last forward, WRITTEN into the loss's buffer; returns its offset. */
  backward(): number {
    const k = this.runtime.kernels;
    const { probs, dOutput } = this.buffers;
    const { rows, cols } = this;
    const n = rows * cols;
    k.fill(dOutput, 0, n);
    switch (this.name) {
      case 'sparseCategoricalCrossentropy':
        k.softmaxCrossEntropyBackward(dOutput, probs, this.target, rows, cols, 1 / this.realRows);
        break;
      case 'categoricalCrossentropy':
        k.softmaxCrossEntropyDenseBackward(dOutput, probs, this.target, rows, cols, 1 / this.realRows);
        break;
      case 'meanSquaredError':
        k.mseBackward(dOutput, this.source, this.target, n, 1 / (this.realRows * cols));
        break;
      case 'binaryCrossentropy':
        k.bceWithLogitsBackward(dOutput, this.source, this.target, n, 1 / (this.realRows * cols));
        break;
    }
    return dOutput;
  }

  /** Final predictions [rows, cols] of the last forward: softmax / sigmoid of the logits, or the outputs (MSE). */
  predictions(): number {
    if (this.name === 'meanSquaredError') return this.output;
    if (this.name !== 'binaryCrossentropy') return this.buffers.probs;
    if (this.activatedFor !== this.calls) {
      this.runtime.kernels.sigmoidForward(this.buffers.probs, this.output, this.rows * this.cols);
      this.activatedFor = this.calls;
    }
    return this.buffers.probs;
  }

  release(): void {
    this.space.release();
    this.size = -1;
  }

  private layout(n: number): void {
    if (n === this.size) return;
    this.buffers = this.space.carve({ probs: n, scratch: this.name === 'meanSquaredError' || this.name === 'binaryCrossentropy' ? n : 0, dOutput: n });
    this.size = n;
  }

  /** `output` itself when no row is padded; else a copy whose padded rows hold `padValue`. */
  private maskedCopy(output: number, scratch: number, rowMask: number, padValue: number): number {
    if (rowMask === 0) return output;
    const k = this.runtime.kernels;
    const { rows, cols } = this;
    k.copy(scratch, output, rows * cols);
    const heap = this.runtime.arena.storage.data;
    const first = rowMask >>> 2;
    for (let r = 0; r < rows; r++) if (heap[first + r] === 0) k.fill(scratch + r * cols * 4, padValue, cols);
    return scratch;
  }
}
