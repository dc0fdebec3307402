/**
 * onnxruntime-web with another thread count than the main bench process (ORT fixes its thread
 * count once per process): times the forward of the given workloads and prints one JSON line
 * `{ "<workload id>": Timing | "<reason>" }`.
 *
 *   tsx bench/peers/ort-child.ts --threads 2 --workloads W1,W3
 */
import { createJsRuntime } from '../../src/kernels/runtime.js';
import { ortPeer } from './ort.js';
import { measure, type Timing } from './timing.js';
import { referenceWeights } from './wasm-rnn.js';
import { WORKLOADS, workloadData } from './workloads.js';

const threads = Number(process.argv[process.argv.indexOf('--threads') + 1]);
const ids = (process.argv[process.argv.indexOf('--workloads') + 1] ?? '').split(',');
const peer = ortPeer(threads);
const results: Record<string, Timing | string> = {};
for (const w of WORKLOADS.filter((workload) => ids.includes(workload.id))) {
  const prepared = await peer.prepare(w, workloadData(w), referenceWeights(w, createJsRuntime()));
  if (typeof prepared === 'string') results[w.id] = prepared;
  else {
    const timing = await measure(prepared.forward!);
    results[w.id] = { ...timing, first: undefined };
    prepared.dispose();
  }
}
console.log(JSON.stringify(results));
