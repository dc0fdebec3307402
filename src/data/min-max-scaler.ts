import { OptionError, ValueError, describe } from '../errors.js';
import { AffineScaler, jsonNumbers, type AffineMaps } from './affine-scaler.js';
import { readOptions } from './options.js';

export interface MinMaxScalerOptions {
  /** Target interval [low, high] with low < high (default [0, 1]). */
  range?: readonly [number, number];
}

/** What `MinMaxScaler.toJSON` writes. */
export interface MinMaxScalerJSON {
  kind: 'minMaxScaler';
  range: [number, number];
  min: number[];
  max: number[];
}

/**
 * Maps each feature linearly from [min, max] of the training data onto `range` (scikit-learn's
 * MinMaxScaler). A constant feature (min = max) maps to range[0], and its inverse gives back the constant.
 */
export class MinMaxScaler extends AffineScaler {
  protected readonly kind = 'MinMaxScaler';
  readonly range: readonly [number, number];
  private stats: { min: Float64Array; max: Float64Array } | undefined;

  constructor(options?: MinMaxScalerOptions) {
    super();
    const opts = readOptions('minMaxScaler', options, ['range']);
    this.range = readRange('minMaxScaler', opts.range ?? [0, 1]);
  }

  /** Per-feature minimum of the training data. */
  get min(): Float64Array {
    this.requireMaps('min');
    return this.stats!.min.slice();
  }

  /** Per-feature maximum of the training data. */
  get max(): Float64Array {
    this.requireMaps('max');
    return this.stats!.max.slice();
  }

  protected learn(values: Float64Array, rows: number, features: number): AffineMaps {
    const min = new Float64Array(features).fill(Infinity);
    const max = new Float64Array(features).fill(-Infinity);
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < features; f++) {
        const v = values[r * features + f]!;
        if (v < min[f]!) min[f] = v;
        if (v > max[f]!) max[f] = v;
      }
    }
    return this.remember(min, max);
  }

  toJSON(): MinMaxScalerJSON {
    this.requireMaps('toJSON');
    return { kind: 'minMaxScaler', range: [this.range[0], this.range[1]], min: Array.from(this.stats!.min), max: Array.from(this.stats!.max) };
  }

  static fromJSON(json: unknown): MinMaxScaler {
    const where = 'MinMaxScaler.fromJSON';
    const data = json as Partial<MinMaxScalerJSON> | null;
    if (data === null || typeof data !== 'object' || data.kind !== 'minMaxScaler') {
      throw new ValueError(`${where}: expected an object with kind 'minMaxScaler', got ${describe(data === null || typeof data !== 'object' ? data : data.kind)}`);
    }
    const scaler = new MinMaxScaler({ range: readRange(where, data.range) });
    const min = jsonNumbers(where, 'min', data.min);
    const max = jsonNumbers(where, 'max', data.max, min.length);
    min.forEach((low, f) => {
      if (low > max[f]!) throw new ValueError(`${where}: min[${f}] (${low}) must not exceed max[${f}] (${max[f]})`);
    });
    scaler.setMaps(scaler.remember(Float64Array.from(min), Float64Array.from(max)));
    return scaler;
  }

  private remember(min: Float64Array, max: Float64Array): AffineMaps {
    this.stats = { min, max };
    const [low, high] = this.range;
    const features = min.length;
    const maps: AffineMaps = {
      scale: new Float64Array(features),
      offset: new Float64Array(features),
      inverseScale: new Float64Array(features),
      inverseOffset: new Float64Array(features),
    };
    for (let f = 0; f < features; f++) {
      const span = max[f]! - min[f]!;
      maps.scale[f] = span === 0 ? 0 : (high - low) / span;
      maps.offset[f] = low - min[f]! * maps.scale[f]!;
      maps.inverseScale[f] = span === 0 ? 0 : span / (high - low);
      maps.inverseOffset[f] = min[f]! - low * maps.inverseScale[f]!;
    }
    return maps;
  }
}

/** `new MinMaxScaler(options)`: scales each feature onto `range` (default [0, 1]). */
export function minMaxScaler(options?: MinMaxScalerOptions): MinMaxScaler {
  return new MinMaxScaler(options);
}

function readRange(where: string, range: unknown): [number, number] {
  if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) {
    throw new OptionError(`${where}: range must be [low, high] with finite low < high, got ${describe(range)}`);
  }
  return [range[0], range[1]];
}
