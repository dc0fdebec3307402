/**
 * Memory of steady-state training: N training steps of workload W2 through the model API's step
 * (the one `fit` runs: load the batch, zero the gradients, forward, loss, backward, gradient
 * norm, clip + Adam step) on the Wasm backend, printing the JS heap in use (after a full GC) and
 * the Wasm memory size at the start, every 1,000 steps and at the end. Both must stay flat:
 * after the first step of a shape, a step allocates nothing in the arena and nothing that
 * survives on the JS heap. Then it samples what the step still allocates (V8's sampling heap
 * profiler, counting objects the GC has already collected) over a few hundred more steps and
 * prints the bytes per step and the functions that allocate them.
 *
 *   node --expose-gc --import tsx bench/memory.bench.ts [--steps 10000] [--sampled-steps 300]
 *
 * W2: LSTM input 32, hidden 128, batch 32, 64 steps, returnSequences, then Dense 32 on every
 * step; MSE; Adam.
 */
import { Session } from 'node:inspector';
import { createWasmRuntime } from '../src/kernels/runtime.js';
import { ArenaDataset, identityOrder } from '../src/model/batches.js';
import { readDataset } from '../src/model/dataset.js';
import { layers } from '../src/model/layer-specs.js';
import { sequential } from '../src/model/sequential.js';
import { TrainingRun } from '../src/model/training-run.js';
import { Random } from '../src/random.js';

const I = 32;
const H = 128;
const B = 32;
const T = 64;
const OUT = 32;
const REPORT_EVERY = 1000;

function countOption(flag: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  if (at < 0) return fallback;
  const count = Number(process.argv[at + 1]);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${flag} must be a positive integer, got ${process.argv[at + 1]}`);
  return count;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc --import tsx bench/memory.bench.ts');

function sequences(random: Random, features: number): number[][][] {
  return Array.from({ length: B }, () => Array.from({ length: T }, () => Array.from({ length: features }, () => random.uniform(-1, 1))));
}

interface Sample {
  step: number;
  heapUsed: number;
  wasmBytes: number;
}

const MB = 1024 * 1024;

function sample(step: number, memory: WebAssembly.Memory): Sample {
  gc!();
  return { step, heapUsed: process.memoryUsage().heapUsed, wasmBytes: memory.buffer.byteLength };
}

function print(s: Sample, start: Sample, seconds: number): void {
  const growth = (s.heapUsed - start.heapUsed) / 1024;
  console.log(
    `${String(s.step).padStart(7)}  heap ${(s.heapUsed / MB).toFixed(2).padStart(7)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} KB)` +
      `  wasm ${(s.wasmBytes / MB).toFixed(2).padStart(7)} MB (${s.wasmBytes - start.wasmBytes >= 0 ? '+' : ''}${s.wasmBytes - start.wasmBytes} B)` +
      `  ${seconds.toFixed(1)} s`,
  );
}

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

/** Bytes per step the step allocates on the JS heap (sampled every 64 bytes), by allocating function. */
async function sampledAllocations(steps: number, trainStep: () => unknown): Promise<void> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as Record<string, unknown>))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let step = 0; step < steps; step++) trainStep();
  const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
  session.disconnect();
  const bySite = new Map<string, number>();
  const visit = (node: ProfileNode): void => {
    if (node.selfSize > 0) {
      const site = `${node.callFrame.functionName || '(anonymous)'} (${node.callFrame.url.split('/').slice(-2).join('/') || 'native'})`;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    }
    node.children.forEach(visit);
  };
  visit(profile.head);
  let total = 0;
  for (const bytes of bySite.values()) total += bytes;
  console.log(`sampled JS allocations over ${steps} more steps: ${(total / steps).toFixed(0)} B/step; by function:`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${(bytes / steps).toFixed(1).padStart(8)} B/step  ${site}`);
}

async function main(): Promise<void> {
  const steps = countOption('--steps', 10_000);
  const sampledSteps = countOption('--sampled-steps', 300);
  const runtime = createWasmRuntime();
  const memory = (runtime.arena.storage as unknown as { memory: WebAssembly.Memory }).memory;
  const model = sequential(
    [layers.lstm({ units: H, returnSequences: true, inputShape: [T, I] }), layers.dense({ units: OUT })],
    { seed: 1, runtime },
  );
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const random = new Random(2);
  const arrays = readDataset('memory bench', model.plan, sequences(random, I), sequences(random, OUT), {}, { loss: 'meanSquaredError', units: OUT });
  const data = new ArenaDataset(runtime, arrays);
  const run = new TrainingRun(model, { data, trainCount: B, validation: null, batchSize: B, tbptt: null, shuffle: false, earlyStopping: null, checkpoint: null });
  const metrics = run.createMetrics();
  const order = identityOrder(0, B);

  const trainStep = (): number => {
    run.loadBatch(order, 0, B);
    const loss = run.trainStep(0, metrics)!;
    run.applyGradients(run.gradientNorm());
    return loss;
  };

  // The first step lays out every workspace and the optimizer state; steady state starts after it.
  const firstLoss = trainStep();
  console.log(`W2 (LSTM I=${I} H=${H} B=${B} T=${T}, Dense ${OUT}, MSE, Adam), Wasm, ${steps} steady-state steps; loss after step 1: ${firstLoss.toFixed(5)}`);
  const began = performance.now();
  const start = sample(0, memory);
  print(start, start, 0);
  let last = start;
  let loss = firstLoss;
  for (let step = 1; step <= steps; step++) {
    loss = trainStep();
    if (step % REPORT_EVERY === 0 || step === steps) {
      last = sample(step, memory);
      print(last, start, (performance.now() - began) / 1000);
    }
  }
  const ms = (performance.now() - began) / steps;
  console.log(
    `growth over ${steps} steps: JS heap ${((last.heapUsed - start.heapUsed) / 1024).toFixed(1)} KB, Wasm memory ${last.wasmBytes - start.wasmBytes} B; ` +
      `${ms.toFixed(1)} ms/step; final loss ${loss.toFixed(5)}`,
  );
  await sampledAllocations(sampledSteps, trainStep);
  run.release();
  data.release();
}

await main();
