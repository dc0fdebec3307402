/**
 * Handwritten digits (data/digits.csv: 1797 images of 8×8 pixels, values 0–16) classified by an
 * LSTM that reads each image row by row: a sequence of 8 steps of 8 pixels, one label at the end
 * (many-to-one).
 *
 *   npm run example:digits
 *
 * A shuffled fifth of the images is the test set; the report gives test accuracy, the confusion
 * matrix and a few misread digits drawn in the terminal.
 */
import { join } from 'node:path';
import { accuracy, confusionMatrix, init, layers, optimizers, readCsvFile, sequential, tensor, trainTestSplit } from '../src/index.js';
import { ROOT_DIR, isMain, logger } from './lib/output.js';
import { TrainingProgress } from './lib/progress.js';
import { formatTable } from './lib/table.js';

export interface DigitsOptions {
  /** Use only the first N images (for short runs). Default: all 1797. */
  images?: number;
  /** LSTM units. Default 64. */
  units?: number;
  epochs?: number;
  seed?: number;
  quiet?: boolean;
}

export interface DigitsResult {
  testAccuracy: number;
  testCount: number;
  /** Rows: true digit, columns: predicted digit. */
  confusion: number[][];
  epochsRun: number;
  trainSeconds: number;
  sequencesPerSecond: number;
}

const PIXEL_MAX = 16;
const SHADES = ' ░▒▓█';

export async function run(options: DigitsOptions = {}): Promise<DigitsResult> {
  const { units = 64, epochs = 25, seed = 1 } = options;
  const log = logger(options.quiet);
  await init();
  const table = await readCsvFile(join(ROOT_DIR, 'data/digits.csv'));
  const count = Math.min(options.images ?? table.rowCount, table.rowCount);
  const pixelNames = table.names.filter((name) => name !== 'label');
  const pixels = table.toTensor(pixelNames).data.subarray(0, count * 64).map((v) => v / PIXEL_MAX);
  const images = tensor(pixels, [count, 8, 8]); // row r of an image is step r of its sequence
  const labels = Array.from(table.column('label').subarray(0, count));
  const { train, test } = trainTestSplit(images, labels, { testSize: 0.2, shuffle: true, seed });

  log(`Digits: ${count} images of 8×8 pixels read row by row (8 steps of 8 values); ${train.x.shape[0]} to train, ${test.x.shape[0]} to test; LSTM(${units}) → softmax over 10 digits.`);
  const model = sequential([layers.lstm({ units, inputShape: [8, 8] }), layers.dense({ units: 10, activation: 'softmax' })], { seed, name: 'digits' });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const progress = new TrainingProgress('  training', epochs, options.quiet === true ? null : log);
  await model.fit(train.x, train.y, { epochs, batchSize: 32, seed: seed + 1, verbose: 0, callbacks: progress.callbacks });

  const scores = model.predict(test.x);
  const truth = Array.from(test.y.data);
  const result: DigitsResult = {
    testAccuracy: accuracy(truth, scores),
    testCount: truth.length,
    confusion: confusionMatrix(truth, scores, 10),
    epochsRun: progress.epochsRun, trainSeconds: progress.seconds, sequencesPerSecond: progress.sequencesPerSecond,
  };
  log(`  test accuracy: ${result.testAccuracy.toFixed(4)} (${Math.round(result.testAccuracy * truth.length)} of ${truth.length})`);
  log('  confusion matrix (rows: true digit, columns: predicted):');
  for (const line of formatTable(['', ...Array.from({ length: 10 }, (_, d) => String(d))], result.confusion.map((row, d) => [String(d), ...row.map(String)]))) log(`    ${line}`);
  const misread = misreadDigits(truth, scores.data, test.x.data).slice(0, 4);
  if (misread.length > 0) {
    log(`  misread test images (true → predicted):`);
    for (const line of drawSideBySide(misread)) log(`    ${line}`);
  }
  model.dispose();
  return result;
}

interface Misread {
  truth: number;
  predicted: number;
  pixels: Float32Array;
}

function misreadDigits(truth: number[], scores: Float32Array, pixels: Float32Array): Misread[] {
  const out: Misread[] = [];
  truth.forEach((label, n) => {
    const row = Array.from(scores.subarray(n * 10, n * 10 + 10));
    const predicted = row.indexOf(Math.max(...row));
    if (predicted !== label) out.push({ truth: label, predicted, pixels: pixels.subarray(n * 64, n * 64 + 64) });
  });
  return out;
}

/** 8×8 images drawn with shade blocks, two characters per pixel, side by side. */
function drawSideBySide(images: Misread[]): string[] {
  const lines = [images.map((m) => `${m.truth} → ${m.predicted}`.padEnd(18)).join('')];
  for (let r = 0; r < 8; r++) {
    lines.push(images.map((m) => Array.from(m.pixels.subarray(r * 8, r * 8 + 8), (v) => SHADES[Math.round(v * (SHADES.length - 1))]!.repeat(2)).join('') + '  ').join(''));
  }
  return lines.map((line) => line.trimEnd());
}

if (isMain(import.meta.url)) await run();
