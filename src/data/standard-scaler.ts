import { ValueError, describe } from '../errors.js';
import { AffineScaler, jsonNumbers, type AffineMaps } from './affine-scaler.js';
import { readOptions } from './options.js';

/** What `StandardScaler.toJSON` writes. */
export interface StandardScalerJSON {
  kind: 'standardScaler';
  mean: number[];
  std: number[];
}

/**
 * Maps each feature to zero mean and unit variance over the training data: (x − mean) / std, with the
 * population standard deviation (ddof = 0, as scikit-learn's StandardScaler). A constant feature
 * (std = 0) is only centred: it maps to 0, as in scikit-learn.
 */
export class StandardScaler extends AffineScaler {
  protected readonly kind = 'StandardScaler';
  private stats: { mean: Float64Array; std: Float64Array } | undefined;

  constructor(options?: Record<string, never>) {
    super();
    readOptions('standardScaler', options, []);
  }

  /** Per-feature mean of the training data. */
  get mean(): Float64Array {
    this.requireMaps('mean');
    return this.stats!.mean.slice();
  }

  /** Per-feature population standard deviation of the training data. */
  get std(): Float64Array {
    this.requireMaps('std');
    return this.stats!.std.slice();
  }

  protected learn(values: Float64Array, rows: number, features: number): AffineMaps {
    const mean = new Float64Array(features);
    const variance = new Float64Array(features);
    for (let i = 0; i < values.length; i++) mean[i % features]! += values[i]!;
    for (let f = 0; f < features; f++) mean[f]! /= rows;
    // Two passes: the centred sum of squares does not cancel catastrophically like E[x²] − E[x]².
    for (let i = 0; i < values.length; i++) variance[i % features]! += (values[i]! - mean[i % features]!) ** 2;
    return this.remember(mean, variance.map((v) => Math.sqrt(v / rows)));
  }

  toJSON(): StandardScalerJSON {
    this.requireMaps('toJSON');
    return { kind: 'standardScaler', mean: Array.from(this.stats!.mean), std: Array.from(this.stats!.std) };
  }

  static fromJSON(json: unknown): StandardScaler {
    const where = 'StandardScaler.fromJSON';
    const data = json as Partial<StandardScalerJSON> | null;
    if (data === null || typeof data !== 'object' || data.kind !== 'standardScaler') {
      throw new ValueError(`${where}: expected an object with kind 'standardScaler', got ${describe(data === null || typeof data !== 'object' ? data : data.kind)}`);
    }
    const mean = jsonNumbers(where, 'mean', data.mean);
    const std = jsonNumbers(where, 'std', data.std, mean.length);
    std.forEach((s, f) => {
      if (s < 0) throw new ValueError(`${where}: std[${f}] must be >= 0, got ${s}`);
    });
    const scaler = new StandardScaler();
    scaler.setMaps(scaler.remember(Float64Array.from(mean), Float64Array.from(std)));
    return scaler;
  }

  private remember(mean: Float64Array, std: Float64Array): AffineMaps {
    this.stats = { mean, std };
    const divisor = std.map((s) => (s === 0 ? 1 : s));
    return {
      scale: divisor.map((d) => 1 / d),
      offset: mean.map((m, f) => -m / divisor[f]!),
      inverseScale: divisor.slice(),
      inverseOffset: mean.slice(),
    };
  }
}

/** `new StandardScaler()`: scales each feature to zero mean and unit variance. */
export function standardScaler(options?: Record<string, never>): StandardScaler {
  return new StandardScaler(options);
}
