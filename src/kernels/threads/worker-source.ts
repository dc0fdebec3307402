import { DONE, FAILED, OPS, REQUEST, STOP } from './protocol.js';

/**
 * The worker's program, as source text: a worker started from a string (Node `eval: true`, a Blob
 * URL in browsers) needs no separate file next to the bundle and no bundler support.
 * It instantiates the shared-memory kernel module it is sent, moves its GEMM scratch to its own
 * region, says it is ready, then blocks in Atomics.wait until a job is posted, runs it, and
 * signals completion; it never returns to its event loop until told to stop.
 */
const body = `
const OPS = ${JSON.stringify(OPS)};
function run(start) {
  const imports = { env: { memory: start.memory, abort() { throw new Error('wasm-rnn kernel assertion failed (debug build)'); } } };
  const kernels = new WebAssembly.Instance(start.module, imports).exports;
  kernels.setScratchBase(start.scratch);
  const control = new Int32Array(start.control);
  const a = new Float64Array(start.args);
  post({ ready: true });
  let seen = 0;
  for (;;) {
    Atomics.wait(control, ${REQUEST}, seen);
    const request = Atomics.load(control, ${REQUEST});
    if (request === ${STOP}) return;
    if (request === seen) continue;
    seen = request;
    try {
      kernels[OPS[a[0]]](a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
    } catch (error) {
      Atomics.store(control, ${FAILED}, 1);
      post({ error: String(error && error.message || error) });
    }
    Atomics.store(control, ${DONE}, request);
    Atomics.notify(control, ${DONE});
  }
}
`;

/**
 * For node:worker_threads (`new Worker(source, { eval: true })`). The eval'd code is CommonJS or,
 * when the process runs with `--input-type=module` (inherited), an ES module: a dynamic import
 * works in both, `require` only in the first.
 */
export const nodeWorkerSource = `${body}
let post;
import('node:worker_threads').then(({ parentPort }) => {
  post = (message) => parentPort.postMessage(message);
  parentPort.once('message', run);
});
`;

/** For a browser Web Worker created from a Blob URL. */
export const browserWorkerSource = `${body}
const post = (message) => self.postMessage(message);
self.onmessage = (event) => { self.onmessage = null; run(event.data); };
`;
