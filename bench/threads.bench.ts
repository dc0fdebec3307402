/**
 * Threads: W3 (LSTM I=128 H=512 B=64 T=32, last-step dense 10, softmax CE, Adam) train step and
 * forward on one thread vs 2 threads, and the GEMM size where a second thread starts to pay
 * (which sets DEFAULT_MIN_FLOPS in src/kernels/threads/threaded-runtime.ts).
 *
 *   npx tsx bench/threads.bench.ts [--rounds 7] [--skip-gemm] [--skip-w3]
 *
 * The machine is shared: variants run interleaved (one run of each per round) so that load
 * changes hit all of them alike, every table carries the 1-minute load average (os.loadavg)
 * before and after it, and "cores used" (process CPU time over wall time) shows whether the
 * second thread actually got a core: near 1.0 for 2 threads means the neighbours had it.
 */
import { loadavg } from 'node:os';
import { createWasmRuntime, type Runtime } from '../src/kernels/runtime.js';
import { partition } from '../src/kernels/threads/partition.js';
import { createThreadedRuntime, type ThreadedRuntime } from '../src/kernels/threads/threaded-runtime.js';
import { preferredWasmBuild } from '../src/kernels/wasm/instantiate.js';
import { prepareWasmRnn } from './peers/wasm-rnn.js';
import { flops, workloadData, WORKLOADS } from './peers/workloads.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const ROUNDS = option('--rounds', 7);
const build = preferredWasmBuild();
const load = () => loadavg()[0]!.toFixed(2);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Samples {
  /** Wall time of each run, ms. */
  ms: number[];
  /** Process CPU time (all threads) over wall time, summed over the runs: the cores this variant actually got. */
  coresUsed: number;
}

/** Runs each variant once per round (after one warm-up round), interleaved, and returns each one's samples. */
function interleaved(variants: (() => unknown)[], rounds: number): Samples[] {
  for (const run of variants) run();
  const samples = variants.map(() => ({ ms: [] as number[], cpuMs: 0 }));
  for (let r = 0; r < rounds; r++) {
    variants.forEach((run, i) => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      run();
      samples[i]!.ms.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      samples[i]!.cpuMs += (used.user + used.system) / 1000;
    });
  }
  return samples.map(({ ms, cpuMs }) => ({ ms, coresUsed: cpuMs / ms.reduce((a, b) => a + b, 0) }));
}

async function gemmThreshold(): Promise<void> {
  const single = createWasmRuntime(build);
  const two = await createThreadedRuntime(2, build, 0);
  // [m, k]·[k, n] with m = rows of C; FLOP from 0.25 M to 134 M (W3's recurrent step is the last).
  const shapes: [number, number, number][] = [[16, 64, 128], [32, 128, 128], [64, 128, 256], [64, 256, 256], [64, 512, 256], [64, 512, 512], [64, 2048, 512]];
  const before = load();
  console.log(`\nGEMM NT, 1 vs 2 threads (every product cut; build ${build}; load ${before})`);
  console.log('| m×n×k | cut | MFLOP | 1 thread µs | 2 threads µs | speed-up | cores used (1 / 2 threads) |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [m, n, k] of shapes) {
    const runFor = (runtime: Runtime) => {
      const a = runtime.arena.alloc(m * k), b = runtime.arena.alloc(n * k), c = runtime.arena.alloc(m * n);
      a.view().fill(0.5);
      b.view().fill(0.25);
      const repeats = Math.max(1, Math.round(2e8 / (2 * m * n * k)));
      return () => {
        for (let i = 0; i < repeats; i++) runtime.kernels.gemmNT(c.offset, a.offset, b.offset, m, n, k, k, k, n, 1, 0);
        return repeats;
      };
    };
    const repeats = Math.max(1, Math.round(2e8 / (2 * m * n * k)));
    const samples = interleaved([runFor(single), runFor(two)], ROUNDS);
    const [one, dual] = samples.map((s) => (median(s.ms) / repeats) * 1000);
    const cut = partition(m, n, 2)[0]!.columns < n ? 'columns' : 'rows';
    const cores = samples.map((s) => s.coresUsed.toFixed(2)).join(' / ');
    console.log(`| ${m}×${n}×${k} | ${cut} | ${((2 * m * n * k) / 1e6).toFixed(2)} | ${one!.toFixed(1)} | ${dual!.toFixed(1)} | ${(one! / dual!).toFixed(2)}× | ${cores} |`);
  }
  console.log(`load after: ${load()}`);
  await two.setThreads(1);
}

async function w3(): Promise<void> {
  const w = WORKLOADS.find((x) => x.id === 'W3')!;
  const data = workloadData(w);
  const teams: ThreadedRuntime[] = [await createThreadedRuntime(1, build), await createThreadedRuntime(2, build)];
  const variants: [string, Runtime][] = [['1 thread (default runtime)', createWasmRuntime(build)], ['1 thread, shared memory', teams[0]!], ['2 threads', teams[1]!]];
  const cases = variants.map(([, runtime]) => prepareWasmRnn(w, data, runtime));
  for (const mode of ['train', 'forward'] as const) {
    const losses = mode === 'train' ? cases.map((c) => c.train!()) : [];
    const before = load();
    const samples = interleaved(cases.map((c) => (mode === 'train' ? c.train! : c.forward!)), ROUNDS);
    const after = load();
    const gflop = flops(w, mode) / 1e9;
    console.log(`\nW3 ${mode === 'train' ? 'train step' : 'forward'} (${ROUNDS} interleaved rounds, build ${build}; load ${before} before, ${after} after)`);
    console.log('| variant | median ms | min ms | GFLOP/s | vs 1 thread | cores used |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    const base = median(samples[0]!.ms);
    samples.forEach((s, i) => {
      const med = median(s.ms);
      console.log(`| ${variants[i]![0]} | ${med.toFixed(1)} | ${Math.min(...s.ms).toFixed(1)} | ${(gflop / (med / 1000)).toFixed(1)} | ${(base / med).toFixed(2)}× | ${s.coresUsed.toFixed(2)} |`);
    });
    if (mode === 'train') console.log(`first losses ${losses.join(', ')}: ${losses.every((l) => l === losses[0]) ? 'bitwise equal' : 'DIFFERENT'}`);
  }
  for (const c of cases) c.dispose();
  await Promise.all(teams.map((t) => t.setThreads(1)));
}

if (!args.includes('--skip-gemm')) await gemmThreshold();
if (!args.includes('--skip-w3')) await w3();
