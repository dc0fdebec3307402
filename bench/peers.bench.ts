/**
 * wasm-rnn against the JavaScript peers on the workloads of issue 7, in one process: wasm-rnn's
 * Wasm SIMD and pure-TS backends, tfjs 4.22 (cpu and wasm backends), brain.js 1.6.1 where it can
 * express the workload, and onnxruntime-web's wasm backend (inference only; its second thread
 * count runs in a child process, since ORT fixes its thread count per process). Forward and
 * training step of each, warm-up first, then median and min of repeated runs (bench/peers/
 * timing.ts), GFLOP/s (bench/peers/workloads.ts `flops`) and each peer's median over wasm-rnn
 * Wasm's. Then a check that the peers compute the same function from the same weights, and a
 * per-kernel breakdown of wasm-rnn's Wasm training step on W1 and W2 LSTM.
 *
 *   npx tsx bench/peers.bench.ts [--workloads W1,W2-LSTM,W2-GRU,W2-RNN,W3]
 *     [--peers wasm,ts,tfjs-wasm,tfjs-cpu,brain,ort1,ort2] [--modes forward,train] [--no-profile] [--cpu-time]
 *
 * `--cpu-time` times in this process's CPU time (bench/clock.ts) instead of wall time: on the
 * shared machine wall time mostly measures the wait for a core. The kernel breakdown always uses
 * wall time (performance.now, µs-resolution CPU time is too coarse per kernel call).
 *
 * (or PEERS_WORKLOADS / PEERS_PEERS / PEERS_MODES / PEERS_PROFILE=0). Progress goes to stderr,
 * the tables to stdout.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createJsRuntime, createWasmRuntime } from '../src/kernels/runtime.js';
import { clockLabel, useCpuTime } from './clock.js';
import { brainPeer } from './peers/brain.js';
import { breakdownRows, profileSteps, profiledRuntime, wrapperCost } from './peers/kernel-profile.js';
import { readOptions, type PeerId } from './peers/options.js';
import { ortPeer } from './peers/ort.js';
import type { Mode, Peer } from './peers/peer.js';
import { formatTable } from './peers/table.js';
import { tfjsPeer } from './peers/tfjs.js';
import { measure, type Timing } from './peers/timing.js';
import { prepareWasmRnn, referenceWeights, wasmRnnPeer } from './peers/wasm-rnn.js';
import { WORKLOADS, describeWorkload, flops, workloadData, type Workload } from './peers/workloads.js';

const PEERS: Record<PeerId, Peer> = {
  wasm: wasmRnnPeer('wasm-rnn Wasm', 'wasm', createWasmRuntime),
  ts: wasmRnnPeer('wasm-rnn TS', 'ts', () => createJsRuntime()),
  'tfjs-wasm': tfjsPeer('wasm'),
  'tfjs-cpu': tfjsPeer('cpu'),
  brain: brainPeer,
  ort1: ortPeer(1),
  ort2: ortPeer(2),
};
const ORT_THREADS: Partial<Record<PeerId, number>> = { ort1: 1, ort2: 2 };
/** Workloads and mode of the per-kernel breakdown (wasm-rnn Wasm). */
const PROFILED = ['W1', 'W2-LSTM'];
/** Steps the breakdown runs: at least this long in all. */
const PROFILE_MS = 2000;

interface CaseResult {
  timing: Timing | null;
  /** Why the peer did not run (cannot express the workload, inference only, …). */
  skipped: string | null;
}
/** results[workload][mode][peer id] */
type Results = Map<string, Map<Mode, Map<PeerId, CaseResult>>>;

interface Agreement {
  /** Max |Δ| of the forward output against wasm-rnn Wasm's, per peer. */
  outputs: Map<PeerId, number>;
  /** Loss of the first training step (before any update), per peer. */
  losses: Map<PeerId, number>;
}

const options = readOptions(process.argv.slice(2), WORKLOADS.map((w) => w.id));
const workloads = WORKLOADS.filter((w) => options.workloads.includes(w.id));
// The first ORT thread count runs here, the others in child processes.
const ortIds = options.peers.filter((id) => ORT_THREADS[id] !== undefined);
const childOrtIds = ortIds.slice(1);
const inProcess = options.peers.filter((id) => !childOrtIds.includes(id));

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

async function runWorkload(w: Workload, results: Results, agreements: Map<string, Agreement>): Promise<void> {
  const data = workloadData(w);
  const weights = referenceWeights(w, createJsRuntime());
  const byMode = new Map<Mode, Map<PeerId, CaseResult>>(options.modes.map((mode) => [mode, new Map()]));
  results.set(w.id, byMode);
  const agreement: Agreement = { outputs: new Map(), losses: new Map() };
  agreements.set(w.id, agreement);
  // wasm-rnn Wasm's output, the reference of the agreement check (PEER_IDS lists it first).
  let reference: Float32Array | null = null;
  for (const id of inProcess) {
    const prepared = await PEERS[id].prepare(w, data, weights);
    if (typeof prepared === 'string') {
      for (const mode of options.modes) byMode.get(mode)!.set(id, { timing: null, skipped: prepared });
      progress(`${w.id} ${PEERS[id].name}: skipped (${prepared})`);
      continue;
    }
    for (const mode of options.modes) {
      const run = mode === 'forward' ? prepared.forward : prepared.train;
      if (run === null) {
        byMode.get(mode)!.set(id, { timing: null, skipped: 'inference only' });
        continue;
      }
      const timing = await measure(run);
      byMode.get(mode)!.set(id, { timing, skipped: null });
      if (mode === 'train' && typeof timing.first === 'number') agreement.losses.set(id, timing.first);
      if (mode === 'forward' && prepared.lastOutput !== null) {
        const output = await prepared.lastOutput();
        if (id === 'wasm') reference = output;
        else if (reference !== null) agreement.outputs.set(id, maxAbsDifference(output, reference));
      }
      progress(`${w.id} ${mode} ${PEERS[id].name}: median ${timing.medianMs.toFixed(3)} ms (${timing.runs} runs)`);
    }
    prepared.dispose();
  }
}

/** onnxruntime-web forward at another thread count, in a child process of the same Node and loader. */
function runOrtChild(id: PeerId, results: Results): void {
  if (!options.modes.includes('forward')) return;
  const child = fileURLToPath(new URL('./peers/ort-child.ts', import.meta.url));
  const args = [...process.execArgv, child, '--threads', String(ORT_THREADS[id]), '--workloads', workloads.map((w) => w.id).join(','), ...(useCpuTime ? ['--cpu-time'] : [])];
  progress(`${PEERS[id].name}: child process`);
  const done = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  const line = done.stdout.trim().split('\n').at(-1) ?? '';
  let parsed: Record<string, Timing | string> = {};
  try {
    parsed = JSON.parse(line) as Record<string, Timing | string>;
  } catch {
    progress(`${PEERS[id].name}: the child process failed (status ${done.status})`);
  }
  for (const w of workloads) {
    const value = parsed[w.id] ?? 'child process failed';
    results.get(w.id)!.get('forward')!.set(id, typeof value === 'string' ? { timing: null, skipped: value } : { timing: value, skipped: null });
    if (options.modes.includes('train')) results.get(w.id)!.get('train')!.set(id, { timing: null, skipped: 'inference only' });
  }
}

function resultTable(results: Results): string {
  const rows = [['workload', 'mode', 'peer', 'median ms', 'min ms', 'runs', 'GFLOP/s', '× wasm-rnn Wasm']];
  for (const w of workloads) {
    for (const mode of options.modes) {
      const byPeer = results.get(w.id)!.get(mode)!;
      const base = byPeer.get('wasm')?.timing?.medianMs;
      for (const id of options.peers) {
        const result = byPeer.get(id);
        const t = result?.timing;
        if (result === undefined) continue;
        if (t === null || t === undefined) {
          if (result.skipped !== 'inference only') rows.push([w.id, mode, PEERS[id].name, '-', '-', '-', '-', result.skipped ?? '-']);
          continue;
        }
        const ratio = base === undefined ? '-' : `${(t.medianMs / base).toFixed(t.medianMs / base < 10 ? 2 : 1)}×`;
        const gflops = flops(w, mode) / (t.medianMs * 1e6);
        rows.push([w.id, mode, PEERS[id].name, fixed(t.medianMs), fixed(t.minMs), String(t.runs), gflops.toFixed(gflops < 1 ? 3 : 2), ratio]);
      }
    }
  }
  return formatTable(rows, 3);
}

/** One row per workload and mode, one column per peer: median ms and the ratio to wasm-rnn Wasm. */
function summaryTable(results: Results): string {
  const rows = [['workload', 'mode', ...options.peers.map((id) => PEERS[id].name)]];
  for (const w of workloads) {
    for (const mode of options.modes) {
      const byPeer = results.get(w.id)!.get(mode)!;
      const base = byPeer.get('wasm')?.timing?.medianMs;
      rows.push([w.id, mode, ...options.peers.map((id) => {
        const t = byPeer.get(id)?.timing;
        if (t === null || t === undefined) return '-';
        return base === undefined || id === 'wasm' ? fixed(t.medianMs) : `${fixed(t.medianMs)} (${(t.medianMs / base).toFixed(t.medianMs / base < 10 ? 1 : 0)}×)`;
      })]);
    }
  }
  return formatTable(rows, 2);
}

/** Three significant digits, at least two decimals below 1 ms. */
function fixed(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

function agreementText(agreements: Map<string, Agreement>): string {
  const lines: string[] = [];
  for (const [id, a] of agreements) {
    const outputs = [...a.outputs].map(([peer, d]) => `${PEERS[peer].name} ${d.toExponential(1)}`).join(', ');
    const losses = [...a.losses].map(([peer, loss]) => `${PEERS[peer].name} ${loss.toFixed(5)}`).join(', ');
    lines.push(`${id}: forward max |Δ| vs wasm-rnn Wasm: ${outputs || '-'}; first-step loss: ${losses || '-'}`);
  }
  return lines.join('\n');
}

async function kernelBreakdown(w: Workload, unprofiledMs: number | null): Promise<string> {
  const base = createWasmRuntime();
  const profiled = profiledRuntime(base);
  const prepared = prepareWasmRnn(w, workloadData(w), profiled.runtime);
  const timing = await measure(prepared.train!);
  const count = Math.max(3, Math.ceil(PROFILE_MS / timing.medianMs));
  const { kept, stepMs } = profileSteps(profiled, prepared.train!, count, timing.medianMs);
  prepared.dispose();
  const header = `Per-kernel time of wasm-rnn Wasm's training step, ${describeWorkload(w)} (${kept} of ${count} steps, the uninterrupted ones):`;
  return `${header}\n${formatTable(breakdownRows(profiled.stats, kept, stepMs, wrapperCost(base), unprofiledMs), 1)}`;
}

const NOTES = `Notes:
- GFLOP/s = 2·MACs of the matrix products (recurrent [B, I+H]·[I+H, G·H] per step + Dense head) / median; a training step counts 3× forward.
- × wasm-rnn Wasm = the peer's median / wasm-rnn Wasm's median on the same row (> 1: slower than wasm-rnn).
- Every peer but brain.js starts from the same weights (tfjs: setWeights; ONNX: initializers); LSTM/GRU gates use the logistic sigmoid (tfjs: recurrentActivation 'sigmoid'); the GRU resets before the recurrent product (tfjs has no resetAfter; ONNX linear_before_reset 0).
- wasm-rnn times include loading the batch into its arena; tfjs forward includes dataSync of the output; tfjs train is model.trainOnBatch; ORT forward is session.run (input and output copies included).
- brain.js 1.6.1 (LSTMTimeStep, GRUTimeStep, RNNTimeStep): no batches (B sequences one after the other, one update each), its own RMSprop-like update instead of SGD/Adam, its LSTM has no separate cell state and its "SimpleRNN" is ReLU, its own weights: equal matrix work, not equal numbers. It cannot express W3 (last-step softmax classifier).
- onnxruntime-web: inference only; ort-web 2T runs in a child process (ORT fixes its thread count once per process); under --cpu-time its row adds up both threads' time (the work, not the latency).`;

async function main(): Promise<void> {
  const results: Results = new Map();
  const agreements = new Map<string, Agreement>();
  for (const w of workloads) await runWorkload(w, results, agreements);
  for (const id of childOrtIds) runOrtChild(id, results);
  console.log(`\nPeers, single process, float32 (Node ${process.version}), ${clockLabel}; workloads:`);
  for (const w of workloads) console.log(`  ${describeWorkload(w)}: ${(flops(w, 'forward') / 1e6).toFixed(2)} MFLOP forward`);
  console.log(`\n${resultTable(results)}\n\nMedian ms (× wasm-rnn Wasm's median):\n${summaryTable(results)}\n\n${NOTES}\n\nSame function, same weights (wasm-rnn Wasm is the reference):\n${agreementText(agreements)}`);
  if (options.profile && options.modes.includes('train')) {
    for (const w of workloads.filter((workload) => PROFILED.includes(workload.id))) {
      const unprofiled = results.get(w.id)!.get('train')!.get('wasm')?.timing?.medianMs ?? null;
      console.log(`\n${await kernelBreakdown(w, unprofiled)}`);
    }
  }
}

await main();
