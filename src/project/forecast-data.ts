// The forecast task's samples: windows of a series (or of its differences), split by time over the
// target points, scaled with statistics of the training part only.
import { windowSeries } from '../data/windows.js';
import { Tensor } from '../tensor.js';
import { fitScaler, type FittedScaler } from './scaling.js';
import type { ScaleName } from './settings.js';

/** What a forecast candidate needs from the data (plain values: it is posted to worker threads). */
export interface SeriesSource {
  task: 'forecast';
  /** The series after the missing-value policy. */
  values: Float64Array;
  /** Targets at positions [0, trainEnd) train, [trainEnd, validationEnd) validate, the rest test. */
  trainEnd: number;
  validationEnd: number;
  horizon: number;
  difference: boolean;
  scale: ScaleName;
}

export interface SeriesPart {
  /** [N, window, 1] scaled inputs. */
  x: Tensor;
  /** [N, horizon] scaled targets. */
  y: Tensor;
  /** Position in the series of each sample's first target. */
  firstTarget: number[];
}

export interface SeriesParts {
  train: SeriesPart;
  validation: SeriesPart;
  test: SeriesPart;
  scaler: FittedScaler;
}

/** Target positions of the split [from, to) usable with this window: (count, first position). */
export function usableTargets(source: SeriesSource, window: number, from: number, to: number): number {
  const first = Math.max(from, window + (source.difference ? 1 : 0));
  return Math.max(0, to - source.horizon + 1 - first);
}

/**
 * The modelled series: the values, or with `difference` the changes d[t] = v[t] − v[t−1] (entry
 * k is the change into position k + 1), scaled with a scaler fitted on the training part.
 */
function modelledSeries(source: SeriesSource): { series: Float64Array; scaler: FittedScaler; offset: number } {
  const { values, difference, trainEnd } = source;
  const raw = difference ? values.subarray(1).map((v, k) => v - values[k]!) : values;
  const offset = difference ? 1 : 0;
  const scaler = fitScaler(source.scale, raw.subarray(0, trainEnd - offset));
  return { series: scaler === null ? raw : scaler.transform(raw), scaler, offset };
}

/**
 * Cuts the series into windows and assigns each sample to the part holding all of its targets
 * (samples whose targets straddle two parts are left out, so no target is seen by two parts).
 */
export function seriesParts(source: SeriesSource, window: number): SeriesParts {
  const { series, scaler, offset } = modelledSeries(source);
  const { x, y } = windowSeries(series, { window, horizon: source.horizon });
  const h = source.horizon;
  const ranges = [[0, source.trainEnd], [source.trainEnd, source.validationEnd], [source.validationEnd, source.values.length]] as const;
  const [train, validation, test] = ranges.map(([from, to]) => {
    const samples: number[] = [];
    for (let n = 0; n < x.shape[0]!; n++) {
      const first = n + window + offset;
      if (first >= from && first + h - 1 < to) samples.push(n);
    }
    return {
      x: new Tensor(gather(x.data, samples, window), [samples.length, window, 1]),
      y: new Tensor(gather(y.data, samples, h), [samples.length, h]),
      firstTarget: samples.map((n) => n + window + offset),
    };
  });
  return { train: train!, validation: validation!, test: test!, scaler };
}

function gather(data: Float32Array, rows: readonly number[], width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, k) => out.set(data.subarray(row * width, (row + 1) * width), k * width));
  return out;
}

/**
 * Model outputs [N, horizon] (scaled, maybe differences) back to values of the series: unscaled,
 * and with `difference` summed onto the last value before each sample's first target.
 */
export function toSeriesValues(source: SeriesSource, part: SeriesPart, outputs: Float32Array, scaler: FittedScaler): Float64Array {
  const h = source.horizon;
  const unscaled = scaler === null ? Float64Array.from(outputs) : scaler.inverse(Float64Array.from(outputs));
  if (!source.difference) return unscaled;
  const levels = new Float64Array(unscaled.length);
  part.firstTarget.forEach((first, n) => {
    let level = source.values[first - 1]!;
    for (let k = 0; k < h; k++) levels[n * h + k] = level += unscaled[n * h + k]!;
  });
  return levels;
}

/** The actual values a part's targets stand for, [N, horizon] flattened. */
export function actualValues(source: SeriesSource, part: SeriesPart): Float64Array {
  const h = source.horizon;
  const out = new Float64Array(part.firstTarget.length * h);
  part.firstTarget.forEach((first, n) => out.set(source.values.subarray(first, first + h), n * h));
  return out;
}
