/**
 * GEMM kernels, Wasm SIMD against the pure-TS twin, in one run and one table.
 *
 *   npx tsx bench/gemm.bench.ts        (build the Wasm first: npm run build:wasm)
 *   node --experimental-wasm-relaxed-simd --import tsx bench/gemm.bench.ts --both-builds
 *       (adds a column for the relaxed-SIMD build, FMA in the micro-kernel; Node 20 needs the flag)
 *   ... --cpu-time   (times in process CPU time: see bench/clock.ts)
 *
 * Shapes and the FLOP formula come from bench/shapes.ts. Each call computes C = A·op(B) with
 * alpha = 1, beta = 0 on operands already in the arena; times are medians over the samples, so a
 * neighbour's burst on this shared 2-core machine moves them less than it would a mean.
 */
import { Bench } from 'tinybench';
import { benchClock, clockLabel } from './clock.js';
import { hasWasmRelaxedSimd } from '../src/kernels/detect.js';
import { packedPanelLength } from '../src/kernels/packing.js';
import { createJsRuntime, createWasmRuntime, type Runtime } from '../src/kernels/runtime.js';
import { Random } from '../src/random.js';
import { GEMM_SHAPES, gemmFlops, type GemmShape } from './shapes.js';

const bothBuilds = process.argv.includes('--both-builds');
if (bothBuilds && !hasWasmRelaxedSimd()) throw new Error('--both-builds: this engine has no relaxed SIMD (Node 20: run node --experimental-wasm-relaxed-simd --import tsx ...)');
const BACKENDS: { name: string; runtime: Runtime }[] = [
  { name: 'wasm', runtime: createWasmRuntime('baseline') },
  ...(bothBuilds ? [{ name: 'wasm fma', runtime: createWasmRuntime('relaxed') }] : []),
  { name: 'ts', runtime: createJsRuntime() },
];

/** Operand buffers of one shape in one runtime, filled with the same seeded values in both. */
function operands(runtime: Runtime, { kernel, m, n, k }: GemmShape): () => void {
  const random = new Random(7);
  const fill = (length: number) => {
    const handle = runtime.arena.alloc(length);
    handle.view().set(Float32Array.from({ length }, () => random.next() * 2 - 1));
    return handle;
  };
  const a = fill(m * k);
  const b = fill(k * n);
  const c = fill(m * n);
  const kernels = runtime.kernels;
  if (kernel === 'gemmPacked') {
    // A weight [n, k] packed once, as a recurrent layer packs W_hh once per pass.
    const packed = runtime.arena.alloc(packedPanelLength(k, n));
    kernels.packB(packed.offset, b.offset, k, n, k, 1);
    return () => kernels.gemmPacked(c.offset, a.offset, packed.offset, m, n, k, k, n, 1, 0);
  }
  const lda = kernel === 'gemmTN' ? m : k;
  const ldb = kernel === 'gemmNT' ? k : n;
  const gemm = kernels[kernel];
  return () => gemm(c.offset, a.offset, b.offset, m, n, k, lda, ldb, n, 1, 0);
}

const taskName = (shape: GemmShape, backend: string) => `${shape.kernel} ${shape.m}×${shape.n}×${shape.k} ${backend}`;

// Few iterations: a pure-TS 512³ product takes about a tenth of a second.
const bench = new Bench({ time: 250, iterations: 5, warmupTime: 50, warmupIterations: 2, now: benchClock });
for (const shape of GEMM_SHAPES) {
  for (const backend of BACKENDS) bench.add(taskName(shape, backend.name), operands(backend.runtime, shape));
}
await bench.run();

function medianMs(name: string): number {
  const result = bench.getTask(name)?.result;
  if (result?.state !== 'completed') throw new Error(`bench task '${name}' did not complete (${result?.state})`);
  return result.latency.p50;
}

const header = ['shape', 'kernel', 'm×n×k', ...BACKENDS.flatMap((b) => [`${b.name} ms`, `${b.name} GFLOP/s`]), 'wasm/ts'];
const rows: string[][] = [header];
for (const shape of GEMM_SHAPES) {
  const flops = gemmFlops(shape.m, shape.n, shape.k);
  const rate = (ms: number) => (flops / (ms * 1e6)).toFixed(2);
  const ms = (value: number) => (value < 0.1 ? value.toFixed(4) : value.toFixed(2));
  const times = BACKENDS.map((b) => medianMs(taskName(shape, b.name)));
  const ratio = medianMs(taskName(shape, 'ts')) / medianMs(taskName(shape, 'wasm'));
  rows.push([shape.label, shape.kernel, `${shape.m}×${shape.n}×${shape.k}`, ...times.flatMap((t) => [ms(t), rate(t)]), `${ratio.toFixed(1)}×`]);
}
const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(`\nGEMM C = A·op(B), f32, one thread (Node ${process.version}); median of each task's samples, ${clockLabel}`);
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
