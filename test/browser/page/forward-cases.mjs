// Fixed-seed forward passes, run by the same code in Chromium (harness.mjs) and in Node
// (../node-run.mjs) so the two sides can be compared number for number. Plain JavaScript: the
// browser loads this file as it is.

/** Hidden sizes off the SIMD width (5, 6, 7), a batch of 2, masks and both directions. */
export const CASES = [
  { layer: 'LSTM', options: { inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, seed: 11 }, lengths: [6, 4] },
  { layer: 'GRU', options: { inputSize: 3, hiddenSize: 6, seed: 12 } },
  { layer: 'GRU', options: { inputSize: 3, hiddenSize: 6, resetAfter: false, seed: 13 } },
  { layer: 'SimpleRNN', options: { inputSize: 3, hiddenSize: 7, seed: 14 } },
  { layer: 'SimpleRNN', options: { inputSize: 3, hiddenSize: 7, nonlinearity: 'relu', seed: 15 } },
];

const [T, B] = [6, 2];

/** A [T, B, 3] input of exactly representable values in [-1.125, 1.125]. */
function input(lib) {
  const values = Array.from({ length: T * B * 3 }, (_, k) => (((k * 37) % 19) - 9) / 8);
  return lib.tensor(Float32Array.from(values), [T, B, 3]);
}

/** Runs every case on `lib` (an entry's exports) and returns plain arrays, as JSON carries them. */
export function forwardAll(lib) {
  const x = input(lib);
  return CASES.map(({ layer, options, lengths }) => {
    const module = new lib[layer](options);
    const result = module.forward(x, lengths === undefined ? undefined : { lengths });
    const numbers = { output: Array.from(result.output.data), hN: Array.from(result.hN.data) };
    if (result.cN !== undefined) numbers.cN = Array.from(result.cN.data);
    module.dispose();
    return { layer, options, ...numbers };
  });
}
