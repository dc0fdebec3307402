// The chosen model on the test split, once, beside the baselines users compare with.
import { modelFromJSON } from '../io/save-load.js';
import { accuracy, confusionMatrix, mae, mape, perplexity, rmse } from '../metrics.js';
import type { Sequential } from '../model/sequential.js';
import { classSamples, type Samples } from './candidate-samples.js';
import { majorityClass, type ClassSource } from './classify-data.js';
import { actualValues, seriesParts, toSeriesValues, type SeriesSource } from './forecast-data.js';
import type { FittedScaler } from './scaling.js';
import type { CandidateResult } from './train-candidate.js';
import { textPieces, unigramPerplexity, type TextSource } from './text-data.js';
import type { TaskSource } from './task-source.js';

export interface ForecastMetrics {
  rmse: number;
  mae: number;
  /** Percent; targets equal to 0 are left out; null when every target is 0. */
  mape: number | null;
}
export interface ClassMetrics {
  accuracy: number;
  /** Rows: true class, columns: predicted class. */
  confusion?: number[][];
}
export interface TextMetrics {
  perplexity: number;
}
export type TestMetrics = ForecastMetrics | ClassMetrics | TextMetrics;

/** The test split of a forecast, for the charts: positions, actual values and forecasts (one step ahead). */
export interface ForecastTrace {
  position: number[];
  actual: number[];
  forecast: number[];
  naive: number[];
}

export interface TestResult {
  test: TestMetrics;
  baselines: Record<string, TestMetrics>;
  trace: ForecastTrace | null;
  /** The chosen model rebuilt from its result, ready to save; the caller disposes it. */
  model: Sequential;
  /** forecast: the scaler of the modelled series, saved with the model. */
  scaler: FittedScaler;
}

export function testBest(source: TaskSource, best: CandidateResult, season: number | null): TestResult {
  const model = modelFromJSON(best.model) as Sequential;
  if (source.task === 'forecast') return { ...testForecast(source, best, model, season), model };
  if (source.task === 'classify') return { ...testClasses(source, model), trace: null, scaler: null, model };
  return { ...testText(source, best, model), trace: null, scaler: null, model };
}

function testForecast(source: SeriesSource, best: CandidateResult, model: Sequential, season: number | null) {
  const parts = seriesParts(source, best.params.window!);
  const test = parts.test;
  const actual = actualValues(source, test);
  const forecast = toSeriesValues(source, test, model.predict(test.x).data, parts.scaler);
  const baseline = (lag: (k: number) => number) => {
    const out = new Float64Array(actual.length);
    test.firstTarget.forEach((first, n) => {
      for (let k = 0; k < source.horizon; k++) out[n * source.horizon + k] = source.values[first + k - lag(k)]!;
    });
    return out;
  };
  // Naive: the last known value; seasonal: the value one season before, from known values only.
  const naive = baseline((k) => k + 1);
  const baselines: Record<string, TestMetrics> = { naive: forecastMetrics(actual, naive) };
  if (season !== null) baselines.seasonal = forecastMetrics(actual, baseline((k) => season * Math.ceil((k + 1) / season)));
  const h = source.horizon;
  const firstStep = (values: Float64Array) => test.firstTarget.map((_, n) => values[n * h]!);
  return {
    test: forecastMetrics(actual, forecast), baselines, scaler: parts.scaler,
    trace: { position: test.firstTarget, actual: firstStep(actual), forecast: firstStep(forecast), naive: firstStep(naive) },
  };
}

export function forecastMetrics(actual: Float64Array, predicted: Float64Array): ForecastMetrics {
  const percent = actual.some((v) => v !== 0) ? mape(actual, predicted, { zeros: 'skip' }) : null;
  return { rmse: rmse(actual, predicted), mae: mae(actual, predicted), mape: percent };
}

function testClasses(source: ClassSource, model: Sequential) {
  const samples: Samples = classSamples(source.test, source.shape);
  const scores = model.predict(samples.x);
  const truth = Array.from(source.test.y);
  const majority = majorityClass(source.train.y, source.classes);
  return {
    test: { accuracy: accuracy(truth, scores), confusion: confusionMatrix(truth, scores, source.classes) },
    baselines: { majority: { accuracy: truth.filter((label) => label === majority).length / truth.length } },
  };
}

function testText(source: TextSource, best: CandidateResult, model: Sequential) {
  const pieces = textPieces(source.test, best.params.window!);
  const loss = model.evaluate(pieces.x, pieces.y).loss!;
  return {
    test: { perplexity: perplexity(loss) },
    baselines: { unigram: { perplexity: unigramPerplexity(source.train, source.test, source.vocabSize) } },
  };
}
