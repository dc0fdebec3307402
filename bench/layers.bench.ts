/**
 * Recurrent layers through the module API: forward and forward+backward per batch, on the Wasm
 * SIMD backend and the pure-TS backend, in one run and one table; then whole training steps of
 * compiled models (W1: the per-call overhead case; W2: the throughput case) in a second table.
 *
 *   npx tsx bench/layers.bench.ts
 *   node --experimental-wasm-relaxed-simd --import tsx bench/layers.bench.ts   (relaxed-SIMD build)
 *   ... --cpu-time   (times in process CPU time: see bench/clock.ts)
 *
 * Shape W2 of the design notes: input 32, hidden 128, batch 32, 64 steps, one layer. GFLOP/s
 * counts 2·MACs of the matrix products only: forward = T·B·G·H·(I + H) MACs (input projection +
 * recurrent products); forward+backward counts 3× forward (dX/dh and dW products). Times include
 * the Tensor copies in and out of the arena.
 */
import { Bench } from 'tinybench';
import { benchClock, clockLabel } from './clock.js';
import { createJsRuntime, createWasmRuntime, type Runtime } from '../src/kernels/runtime.js';
import { GRU } from '../src/layers/gru.js';
import { LSTM } from '../src/layers/lstm.js';
import type { RecurrentLayer } from '../src/layers/recurrent.js';
import { SimpleRNN } from '../src/layers/simple-rnn.js';
import { Random } from '../src/random.js';
import { Tensor } from '../src/tensor.js';
import { W1, W2, trainStep, type TrainWorkload } from './train-step.js';

const I = 32;
const H = 128;
const B = 32;
const T = 64;

const LAYERS: { name: string; gates: number; make: (runtime: Runtime) => RecurrentLayer }[] = [
  { name: 'LSTM', gates: 4, make: (runtime) => new LSTM({ inputSize: I, hiddenSize: H, runtime, seed: 1 }) },
  { name: 'GRU', gates: 3, make: (runtime) => new GRU({ inputSize: I, hiddenSize: H, runtime, seed: 1 }) },
  { name: 'SimpleRNN', gates: 1, make: (runtime) => new SimpleRNN({ inputSize: I, hiddenSize: H, runtime, seed: 1 }) },
];
const BACKENDS: { name: 'wasm' | 'js'; create: () => Runtime }[] = [
  { name: 'wasm', create: () => createWasmRuntime() },
  { name: 'js', create: () => createJsRuntime() },
];

function uniform(random: Random, shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float32Array.from({ length: size }, () => random.uniform(-1, 1)), shape);
}

const random = new Random(1);
const x = uniform(random, [T, B, I]);
const dOutput = uniform(random, [T, B, H]);

// Few iterations: a pure-TS forward+backward takes about half a second here.
const bench = new Bench({ time: 300, iterations: 3, warmupIterations: 2, warmupTime: 0, now: benchClock });
for (const backend of BACKENDS) {
  const runtime = backend.create();
  for (const spec of LAYERS) {
    const layer = spec.make(runtime);
    bench.add(`${spec.name} forward ${backend.name}`, () => {
      layer.forward(x);
    });
    bench.add(`${spec.name} forward+backward ${backend.name}`, () => {
      layer.forward(x);
      layer.backward({ output: dOutput });
    });
  }
}
const TRAIN_WORKLOADS: TrainWorkload[] = [W1, W2];
for (const backend of BACKENDS) {
  const runtime = backend.create();
  for (const w of TRAIN_WORKLOADS) {
    const step = trainStep(runtime, w);
    bench.add(`${w.name} train step ${backend.name}`, () => {
      step();
    });
  }
}
await bench.run();

function meanMs(name: string): number {
  const result = bench.getTask(name)?.result;
  if (result?.state !== 'completed') throw new Error(`bench task '${name}' did not complete (${result?.state})`);
  return result.latency.mean;
}

const rows: string[][] = [['layer', 'mode', 'wasm ms', 'wasm GFLOP/s', 'js ms', 'js GFLOP/s', 'wasm/js']];
for (const spec of LAYERS) {
  const forwardFlop = 2 * T * B * spec.gates * H * (I + H);
  for (const [mode, flop] of [['forward', forwardFlop], ['forward+backward', 3 * forwardFlop]] as const) {
    const wasm = meanMs(`${spec.name} ${mode} wasm`);
    const js = meanMs(`${spec.name} ${mode} js`);
    const rate = (ms: number) => (flop / (ms * 1e6)).toFixed(2);
    rows.push([spec.name, mode, wasm.toFixed(2), rate(wasm), js.toFixed(1), rate(js), `${(js / wasm).toFixed(1)}×`]);
  }
}
const wasmBuild = createWasmRuntime().wasmBuild;
console.log(`\nRecurrent layers, I=${I} H=${H} B=${B} T=${T}, one layer, unidirectional (Node ${process.version}, Wasm build '${wasmBuild}'); mean, ${clockLabel}`);
printTable(rows, 2);

// A train step's matrix work is 3× the recurrent layer's forward (the Dense head is not counted).
const trainRows: string[][] = [['workload', 'wasm ms', 'wasm GFLOP/s', 'js ms', 'js GFLOP/s', 'wasm/js']];
for (const w of TRAIN_WORKLOADS) {
  const flop = 3 * 2 * w.T * w.B * 4 * w.H * (w.I + w.H);
  const wasm = meanMs(`${w.name} train step wasm`);
  const js = meanMs(`${w.name} train step js`);
  const rate = (ms: number) => (flop / (ms * 1e6)).toFixed(2);
  const ms = (value: number) => (value < 1 ? value.toFixed(4) : value.toFixed(2));
  trainRows.push([`${w.name} LSTM I=${w.I} H=${w.H} B=${w.B} T=${w.T}, Dense ${w.out}, MSE, ${w.optimizer}`, ms(wasm), rate(wasm), ms(js), rate(js), `${(js / wasm).toFixed(1)}×`]);
}
console.log(`\nTraining step of a compiled model (load batch, forward, loss, backward, gradient norm, optimizer step); mean, ${clockLabel}`);
printTable(trainRows, 1);

function printTable(table: string[][], leftColumns: number): void {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  for (const [i, row] of table.entries()) {
    console.log(row.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
