import { OptionError, describe, oneOf } from '../errors.js';
import type { HeapArray } from '../memory/storage.js';

/** Metrics fit / evaluate compute. */
export type MetricKind = 'accuracy' | 'mae' | 'mse' | 'rmse';

/** Names accepted in compile's `metrics` (tfjs camelCase, Keras snake_case, short forms). */
const METRIC_NAMES: Record<string, MetricKind> = {
  accuracy: 'accuracy', acc: 'accuracy',
  mae: 'mae', meanAbsoluteError: 'mae', mean_absolute_error: 'mae',
  mse: 'mse', meanSquaredError: 'mse', mean_squared_error: 'mse',
  rmse: 'rmse', rootMeanSquaredError: 'rmse', root_mean_squared_error: 'rmse',
};

/** A requested metric: its key in logs and history (the name as given, as Keras does) and what it computes. */
export interface MetricEntry {
  readonly key: string;
  readonly kind: MetricKind;
}

export function readMetrics(where: string, value: unknown): MetricEntry[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new OptionError(`${where}: metrics must be an array of names such as ['accuracy'], got ${describe(value)}`);
  const entries = list.map((name) => ({ key: name as string, kind: METRIC_NAMES[oneOf(where, 'metrics entry', name, Object.keys(METRIC_NAMES))]! }));
  entries.forEach(({ key }, i) => {
    if (key === 'loss' || entries.findIndex((e) => e.key === key) !== i) throw new OptionError(`${where}: metric '${key}' is listed twice (the loss is always reported)`);
  });
  return entries;
}

/**
 * How accuracy reads predictions: 'sparse' (argmax vs class id), 'categorical' (argmax vs argmax
 * of the target row) or 'binary' (prediction > 0.5 vs target > 0.5, per element).
 */
export type AccuracyKind = 'sparse' | 'categorical' | 'binary';

/**
 * Loss and metrics accumulated over the batches of an epoch, as exact means over the real rows
 * (or elements) seen, read from the arena's predictions and targets.
 */
export class RunningMetrics {
  private lossSum = 0;
  private lossWeight = 0;
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;

  constructor(
    readonly entries: readonly MetricEntry[],
    private readonly accuracyKind: AccuracyKind,
  ) {
    this.sums = new Float64Array(entries.length);
    this.counts = new Float64Array(entries.length);
  }

  reset(): void {
    this.lossSum = 0;
    this.lossWeight = 0;
    this.sums.fill(0);
    this.counts.fill(0);
  }

  /** A batch's mean loss over `weight` real rows. */
  addLoss(loss: number, weight: number): void {
    this.lossSum += loss * weight;
    this.lossWeight += weight;
  }

  /**
   * predictions: [rows, cols] final outputs (probabilities for cross-entropies); target: [rows,
   * cols] or [rows] class ids (sparse, −1 = padded); rowMask: [rows] f32 or 0 (byte offsets).
   */
  update(heap: HeapArray, predictions: number, target: number, rows: number, cols: number, rowMask: number): void {
    const P = predictions >>> 2;
    const Y = target >>> 2;
    const M = rowMask >>> 2;
    for (let m = 0; m < this.entries.length; m++) {
      const kind = this.entries[m]!.kind;
      let sum = 0;
      let count = 0;
      for (let r = 0; r < rows; r++) {
        if (rowMask !== 0 && heap[M + r] === 0) continue;
        if (kind === 'accuracy') {
          if (this.accuracyKind === 'sparse') {
            const id = heap[Y + r]!;
            if (id < 0) continue;
            sum += argmax(heap, P + r * cols, cols) === id ? 1 : 0;
            count++;
          } else if (this.accuracyKind === 'categorical') {
            sum += argmax(heap, P + r * cols, cols) === argmax(heap, Y + r * cols, cols) ? 1 : 0;
            count++;
          } else {
            for (let c = 0; c < cols; c++) sum += heap[P + r * cols + c]! > 0.5 === heap[Y + r * cols + c]! > 0.5 ? 1 : 0;
            count += cols;
          }
        } else {
          for (let c = 0; c < cols; c++) {
            const d = heap[P + r * cols + c]! - heap[Y + r * cols + c]!;
            sum += kind === 'mae' ? Math.abs(d) : d * d;
          }
          count += cols;
        }
      }
      this.sums[m]! += sum;
      this.counts[m]! += count;
    }
  }

  /** Writes `${prefix}loss` and each metric's mean into logs. */
  write(logs: Record<string, number>, prefix: string): void {
    logs[`${prefix}loss`] = this.lossSum / this.lossWeight;
    this.entries.forEach(({ key, kind }, m) => {
      const mean = this.sums[m]! / this.counts[m]!;
      logs[`${prefix}${key}`] = kind === 'rmse' ? Math.sqrt(mean) : mean;
    });
  }

  /** Running mean loss of the batches so far. */
  get meanLoss(): number {
    return this.lossSum / this.lossWeight;
  }
}

/** Index of the largest of n values from element index `start` (the first on ties, as numpy). */
function argmax(heap: HeapArray, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (heap[start + j]! > heap[start + best]!) best = j;
  return best;
}
