/**
 * The adding problem (Hochreiter & Schmidhuber, 1997): each input is T pairs (value, marker) with
 * values uniform in [0, 1) and exactly two markers set, one in each half of the sequence; the
 * target is the sum of the two marked values. Always predicting 1 gives a mean squared error of
 * 1/6 ≈ 0.167, so a model below that has learned to find and carry the marked values.
 *
 *   npm run example:adding
 *
 * A SimpleRNN and an LSTM (same units, Adam, gradient clipping at norm 1) at T = 50 and 100, and
 * how much of the loss gradient reaches each time step, ‖∂L/∂h_t‖ relative to ‖∂L/∂h_T‖, before
 * and after training (examples/lib/gradient-reach.ts): in the SimpleRNN it shrinks geometrically
 * with the distance from the end (vanishing gradients); in the LSTM it does not.
 */
import { init, layers, optimizers, rmse, sequential, tensor } from '../src/index.js';
import { gradientReach } from './lib/gradient-reach.js';
import { OUT_DIR, isMain, logger, shortPath, writeOutput } from './lib/output.js';
import { TrainingProgress } from './lib/progress.js';
import { SeededRandom } from './lib/random.js';
import { lineChartSvg, type ChartSeries } from '../src/project/svg-chart.js';
import { formatTable } from './lib/table.js';
import { sparklines } from './lib/terminal-chart.js';

export type AddingCell = 'simpleRNN' | 'lstm';

export interface AddingOptions {
  /** Sequence lengths T. Default [50, 100]. */
  lengths?: number[];
  cells?: AddingCell[];
  units?: number;
  /** Training sequences per T. Default 10,000. */
  trainCount?: number;
  testCount?: number;
  epochs?: number;
  /** Sequences over which the gradient norms are measured. Default 64. */
  gradientBatch?: number;
  seed?: number;
  /** Where the charts go; null writes nothing. Default out/. */
  outDir?: string | null;
  quiet?: boolean;
}

export interface AddingRun {
  cell: AddingCell;
  T: number;
  testMse: number;
  /** MSE of always predicting 1 on the same test sequences (≈ 0.167). */
  baselineMse: number;
  /** ‖∂L/∂h_t‖ / ‖∂L/∂h_T‖ for t = 1..T, before and after training. */
  reachBefore: number[];
  reachAfter: number[];
  trainSeconds: number;
  sequencesPerSecond: number;
}

export interface AddingResult {
  runs: AddingRun[];
  chartPaths: string[];
}

interface AddingData {
  x: number[][][];
  y: number[];
}

/** `count` sequences of T (value, marker) pairs; one marker in each half. */
export function addingData(T: number, count: number, random: SeededRandom): AddingData {
  const half = Math.floor(T / 2);
  const x: number[][][] = [];
  const y: number[] = [];
  for (let n = 0; n < count; n++) {
    const first = random.int(half);
    const second = half + random.int(T - half);
    const sequence = Array.from({ length: T }, (_, t) => [random.next(), t === first || t === second ? 1 : 0]);
    x.push(sequence);
    y.push(sequence[first]![0]! + sequence[second]![0]!);
  }
  return { x, y };
}

export async function run(options: AddingOptions = {}): Promise<AddingResult> {
  const { lengths = [50, 100], cells = ['simpleRNN', 'lstm'], units = 32, trainCount = 10_000, testCount = 1000, epochs = 10, gradientBatch = 64, seed = 1, outDir = OUT_DIR } = options;
  const log = logger(options.quiet);
  await init();
  log(`Adding problem: ${trainCount} training sequences per T, ${testCount} test; ${cells.join(' vs ')} with ${units} units, Adam, clipNorm 1.`);
  const runs: AddingRun[] = [];
  const chartPaths: string[] = [];
  for (const T of lengths) {
    const random = new SeededRandom(seed * 1000 + T);
    const train = addingData(T, trainCount, random);
    const test = addingData(T, testCount, random);
    const baselineMse = rmse(test.y, test.y.map(() => 1)) ** 2;
    const probe = addingData(T, gradientBatch, random);
    const probeX = tensor(probe.x);
    for (const cell of cells) {
      const model = sequential([layers[cell]({ units, inputShape: [T, 2] }), layers.dense({ units: 1 })], { seed, name: `adding-${cell}-${T}` });
      model.compile({ optimizer: optimizers.adam({ learningRate: 0.003 }), loss: 'meanSquaredError', clipNorm: 1 });
      const reachBefore = relative(gradientReach(model, cell, probeX, probe.y));
      const progress = new TrainingProgress(`  ${cell} T=${T}`.padEnd(18), epochs, options.quiet === true ? null : log);
      await model.fit(train.x, train.y.map((v) => [v]), { epochs, batchSize: 32, seed: seed + 1, verbose: 0, callbacks: progress.callbacks });
      const testMse = model.evaluate(test.x, test.y.map((v) => [v])).loss!;
      const reachAfter = relative(gradientReach(model, cell, probeX, probe.y));
      runs.push({ cell, T, testMse, baselineMse, reachBefore, reachAfter, trainSeconds: progress.seconds, sequencesPerSecond: progress.sequencesPerSecond });
      model.dispose();
    }
    if (outDir !== null) chartPaths.push(writeOutput(outDir, `adding-gradients-T${T}.svg`, gradientChart(T, runs.filter((r) => r.T === T))));
  }

  const reachAt = (reach: number[]) => reach[0]!.toExponential(1);
  for (const line of formatTable(['cell', 'T', 'test MSE', 'always 1', 'gradient reaching step 1 (÷ step T), before → after training'], runs.map((r) => [
    r.cell, String(r.T), r.testMse.toFixed(4), r.baselineMse.toFixed(4), `${reachAt(r.reachBefore)} → ${reachAt(r.reachAfter)}`,
  ]))) log(`  ${line}`);
  const longest = Math.max(...lengths);
  log(`  ‖∂L/∂h_t‖ ÷ ‖∂L/∂h_T‖ for t = 1..${longest} (log scale), before and after training:`);
  const rows = runs.filter((r) => r.T === longest).flatMap((r) => [
    { label: `    ${r.cell} before`, values: r.reachBefore },
    { label: `    ${r.cell} after`, values: r.reachAfter },
  ]);
  for (const line of sparklines(rows, { log: true })) log(line);
  if (chartPaths.length > 0) log(`  charts: ${chartPaths.map(shortPath).join(', ')}`);
  return { runs, chartPaths };
}

/** Each norm divided by the last one (the gradient arriving at the final state). */
function relative(norms: number[]): number[] {
  const last = norms.at(-1)!;
  return norms.map((n) => n / last);
}

function gradientChart(T: number, runs: AddingRun[]): string {
  const colors: Record<AddingCell, string> = { simpleRNN: '#d62728', lstm: '#1f77b4' };
  const steps = Array.from({ length: T }, (_, t) => t + 1);
  const series: ChartSeries[] = runs.flatMap((r) => [
    { name: `${r.cell}, initial weights`, x: steps, y: r.reachBefore, color: colors[r.cell], dashed: true },
    { name: `${r.cell}, trained (MSE ${r.testMse.toFixed(3)})`, x: steps, y: r.reachAfter, color: colors[r.cell] },
  ]);
  return lineChartSvg(series, { title: `Adding problem, T = ${T}: gradient reaching each step, ‖∂L/∂h_t‖ ÷ ‖∂L/∂h_T‖`, xLabel: 'time step t', yLabel: 'relative gradient norm', logY: true, width: 820 });
}

if (isMain(import.meta.url)) await run();
