/**
 * Forecasting yearly sunspot activity (data/sunspots.csv, 1700–2008) one year ahead with an LSTM,
 * against the naive forecast "next year = this year".
 *
 *   npm run example:forecast
 *
 * The model reads windows of the last `window` years (scaled to [0, 1] with statistics of the
 * training years only) and predicts the next year. The last 20% of the years are the test set:
 * their windows may look back into training years (that history is known when forecasting), but
 * no test year is ever a training target. Early stopping watches the last 15% of the training
 * windows and keeps the best epoch's weights.
 */
import { join } from 'node:path';
import { init, layers, minMaxScaler, optimizers, readCsvFile, rmse, sequential, windowSeries } from '../src/index.js';
import { OUT_DIR, ROOT_DIR, isMain, logger, outputPath, shortPath, writeOutput } from './lib/output.js';
import { TrainingProgress } from './lib/progress.js';
import { lineChartSvg } from '../src/project/svg-chart.js';
import { sparklines } from './lib/terminal-chart.js';

export interface ForecastOptions {
  /** Years of history the model reads. Default 12 (a solar cycle is about 11 years). */
  window?: number;
  /** LSTM units. Default 32. */
  units?: number;
  /** Most epochs; early stopping usually ends training far sooner. Default 300. */
  epochs?: number;
  /** Epochs without a better validation loss before stopping. Default 30. */
  patience?: number;
  /** Seed of the weights and of the shuffling. Default 1. */
  seed?: number;
  /** Where the chart and the model go; null writes nothing. Default out/. */
  outDir?: string | null;
  quiet?: boolean;
}

export interface ForecastResult {
  /** The test years and, for each, the actual value and the two forecasts. */
  years: number[];
  actual: number[];
  forecast: number[];
  naive: number[];
  rmse: number;
  naiveRmse: number;
  epochsRun: number;
  trainSeconds: number;
  sequencesPerSecond: number;
  /** The SVG chart and the saved model (with its scaler), when written. */
  chartPath: string | null;
  modelPath: string | null;
}

const TEST_FRACTION = 0.2;

export async function run(options: ForecastOptions = {}): Promise<ForecastResult> {
  const { window = 12, units = 32, epochs = 300, patience = 30, seed = 1, outDir = OUT_DIR } = options;
  const log = logger(options.quiet);
  await init();
  const table = await readCsvFile(join(ROOT_DIR, 'data/sunspots.csv'));
  const allYears = Array.from(table.column('YEAR'));
  const values = table.column('SUNACTIVITY');
  const firstTestYear = Math.round(values.length * (1 - TEST_FRACTION));
  const scaler = minMaxScaler().fit(values.subarray(0, firstTestYear));
  const windows = windowSeries(scaler.transform(values), { window });
  // Window n predicts year n + window; the first firstTestYear − window windows predict training years.
  const trainCount = firstTestYear - window;
  const x = windows.x.toArray() as number[][][];
  const y = windows.y.toArray() as number[][];

  log(`Sunspots: yearly sunspot number ${allYears[0]}–${allYears.at(-1)} (${values.length} years); an LSTM(${units}) reads ${window}-year windows.`);
  log(`  train: ${trainCount} windows (targets ${allYears[window]}–${allYears[firstTestYear - 1]}, the last 15% for early stopping); test: years ${allYears[firstTestYear]}–${allYears.at(-1)}`);

  const model = sequential([layers.lstm({ units, inputShape: [window, 1] }), layers.dense({ units: 1 })], { seed, name: 'sunspots' });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'meanSquaredError' });
  const progress = new TrainingProgress('  training', epochs, options.quiet === true ? null : log);
  await model.fit(x.slice(0, trainCount), y.slice(0, trainCount), {
    epochs, batchSize: 16, seed: seed + 1, verbose: 0, validationSplit: 0.15,
    earlyStopping: { monitor: 'val_loss', patience, restoreBest: true }, callbacks: progress.callbacks,
  });

  const testX = x.slice(trainCount);
  const forecast = Array.from(scaler.inverse(model.predict(testX)).data);
  const actual = Array.from(values.subarray(firstTestYear));
  const naive = Array.from(values.subarray(firstTestYear - 1, values.length - 1));
  const years = allYears.slice(firstTestYear);
  const result: ForecastResult = {
    years, actual, forecast, naive,
    rmse: rmse(actual, forecast), naiveRmse: rmse(actual, naive),
    epochsRun: progress.epochsRun, trainSeconds: progress.seconds, sequencesPerSecond: progress.sequencesPerSecond,
    chartPath: null, modelPath: null,
  };

  log(`  test RMSE, one year ahead (${years[0]}–${years.at(-1)}): LSTM ${result.rmse.toFixed(1)}, naive "repeat last year" ${result.naiveRmse.toFixed(1)}`);
  for (const line of sparklines([{ label: '  actual', values: actual }, { label: '  LSTM', values: forecast }, { label: '  naive', values: naive }])) log(line);
  if (outDir !== null) {
    result.chartPath = writeOutput(outDir, 'sunspots-forecast.svg', lineChartSvg([
      { name: 'actual', x: years, y: actual, color: '#222' },
      { name: `LSTM forecast (RMSE ${result.rmse.toFixed(1)})`, x: years, y: forecast, color: '#d62728' },
      { name: `repeat last year (RMSE ${result.naiveRmse.toFixed(1)})`, x: years, y: naive, color: '#1f77b4', dashed: true },
    ], { title: 'Yearly sunspot number: one-year-ahead forecast on the test years', xLabel: 'year', yLabel: 'sunspot number' }));
    model.scaler = scaler;
    result.modelPath = (await model.save(outputPath(outDir, 'sunspots-lstm.json'))).path;
    log(`  chart: ${shortPath(result.chartPath)}   model: ${shortPath(result.modelPath)}`);
  }
  model.dispose();
  return result;
}

if (isMain(import.meta.url)) await run();
