/**
 * onnxruntime-web 1.30's wasm backend, inference only: an ONNX LSTM / GRU / RNN graph built
 * from the shared weights (onnx-graphs.ts), run with InferenceSession. Its thread count is
 * fixed once per process (ort.env.wasm.numThreads before the first session), so one process
 * measures one thread count; peers.bench.ts runs the other count in a child process.
 */
import * as ort from 'onnxruntime-web';
import { onnxGraph } from './onnx-graphs.js';
import { encodeOnnxModel } from './onnx-proto.js';
import type { Peer } from './peer.js';
import { swapLeadingAxes } from './workloads.js';

let threadsInUse: number | null = null;

export function ortPeer(threads: number): Peer {
  return {
    name: `ort-web ${threads}T`,
    id: `ort${threads}`,
    prepare: async (w, data, weights) => {
      if (threadsInUse === null) {
        ort.env.wasm.numThreads = threads;
        ort.env.logLevel = 'error';
        threadsInUse = threads;
      }
      if (threadsInUse !== threads) return `this process runs onnxruntime-web with ${threadsInUse} thread(s)`;
      const session = await ort.InferenceSession.create(encodeOnnxModel(onnxGraph(w, weights)), { executionProviders: ['wasm'], logSeverityLevel: 3 });
      const feeds = { x: new ort.Tensor('float32', data.xTimeMajor, [w.steps, w.batch, w.inputSize]) };
      let output: Float32Array = new Float32Array(0);
      return {
        forward: async () => {
          // run() copies the input in and the output out of ORT's heap, as a user's call does.
          const result = await session.run(feeds);
          output = result.out!.data as Float32Array;
        },
        train: null,
        lastOutput: () => (w.head === 'sequence' ? swapLeadingAxes(output, w.steps, w.batch, w.outputs) : output),
        dispose: () => void session.release(),
      };
    },
  };
}
