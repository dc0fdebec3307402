import { ShapeError, StateError, ValueError, describe } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { readNumeric, rebuildLike, type NumericArray } from './numeric-input.js';
import { indexIn, readOptions } from './options.js';

/** What scalers accept and give back in kind: a Tensor, a Float32Array/Float64Array, or nested number arrays. */
export type ScalerData = Tensor | Float32Array | Float64Array | number[] | number[][] | number[][][];

export interface ScaleOptions {
  /** Use this feature's statistics for every value, whatever the data's shape (e.g. predictions of a target column). */
  feature?: number;
}

/** Per-feature map y = scale · x + offset and its inverse x = inverseScale · y + inverseOffset. */
export interface AffineMaps {
  scale: Float64Array;
  offset: Float64Array;
  inverseScale: Float64Array;
  inverseOffset: Float64Array;
}

/**
 * A scaler that maps each feature (the last axis) with its own affine function, learnt by `fit`.
 * 1-D data is one feature. A scaler fitted on one feature applies to data of any shape; otherwise the
 * data's last axis must have as many entries as in `fit`.
 */
export abstract class AffineScaler {
  private maps: AffineMaps | undefined;

  /** Class name for messages. */
  protected abstract readonly kind: string;

  /** Learns the per-feature statistics from `values` laid out [rows, features]. */
  protected abstract learn(values: Float64Array, rows: number, features: number): AffineMaps;

  get fitted(): boolean {
    return this.maps !== undefined;
  }

  /** Number of features seen in `fit`. */
  get features(): number {
    return this.requireMaps('features').scale.length;
  }

  /** Learns the statistics of the training data (never fit on validation or test data). */
  fit(data: ScalerData): this {
    const { values, shape } = readNumeric(`${this.kind}.fit`, 'data', data);
    const features = shape.length <= 1 ? 1 : shape[shape.length - 1]!;
    if (shape.length === 0 || values.length === 0) {
      throw new ValueError(`${this.kind}.fit: data must hold at least one value per feature, got shape [${shape.join(', ')}]`);
    }
    this.maps = this.learn(values, values.length / features, features);
    return this;
  }

  transform<T extends ScalerData>(data: T, options?: ScaleOptions): T {
    return this.apply('transform', data, options, false);
  }

  /** Maps scaled values back to the original units. */
  inverse<T extends ScalerData>(data: T, options?: ScaleOptions): T {
    return this.apply('inverse', data, options, true);
  }

  fitTransform<T extends ScalerData>(data: T): T {
    return this.fit(data).transform(data);
  }

  /** Restores fitted maps (used by fromJSON of the subclasses). */
  protected setMaps(maps: AffineMaps): void {
    this.maps = maps;
  }

  protected requireMaps(method: string): AffineMaps {
    if (this.maps === undefined) throw new StateError(`${this.kind}.${method}: the scaler is not fitted; call fit(trainingData) first`);
    return this.maps;
  }

  private apply<T extends ScalerData>(method: string, data: T, options: ScaleOptions | undefined, inverse: boolean): T {
    const where = `${this.kind}.${method}`;
    const maps = this.requireMaps(method);
    const opts = readOptions(where, options, ['feature']);
    const features = maps.scale.length;
    const { values, shape } = readNumeric(where, 'data', data);
    const scale = inverse ? maps.inverseScale : maps.scale;
    const offset = inverse ? maps.inverseOffset : maps.offset;
    const out = new Float64Array(values.length);
    if (opts.feature !== undefined || features === 1) {
      const f = indexIn(where, 'feature', opts.feature ?? 0, features);
      for (let i = 0; i < values.length; i++) out[i] = scale[f]! * values[i]! + offset[f]!;
    } else {
      checkFeatureAxis(where, { values, shape }, features);
      for (let i = 0; i < values.length; i++) out[i] = scale[i % features]! * values[i]! + offset[i % features]!;
    }
    return rebuildLike(data, out, shape);
  }
}

function checkFeatureAxis(where: string, data: NumericArray, features: number): void {
  const last = data.shape[data.shape.length - 1];
  if (last !== features) {
    throw new ShapeError(
      `${where}: data's last axis must have the ${features} features seen in fit, got shape [${data.shape.join(', ')}]` +
        ` (pass { feature: i } to scale every value with feature i's statistics)`,
    );
  }
}

/** Reads a finite number array of `length` (or any length when undefined) from a JSON field. */
export function jsonNumbers(where: string, name: string, value: unknown, length?: number): number[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new ValueError(`${where}: ${name} must be a non-empty array of finite numbers, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new ValueError(`${where}: ${name} must have ${length} entries (one per feature), got ${value.length}`);
  }
  return value as number[];
}
