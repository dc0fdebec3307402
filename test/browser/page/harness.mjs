// What a test asks a page (or Node, through ../node-run.mjs) to do with one bundle entry.
import { forwardAll } from './forward-cases.mjs';
import { trainAll } from './train-cases.mjs';

/**
 * Imports `entry`, starts the backend (`choice` undefined = plain `init()`), and returns the
 * backend's name as `init` and `backend()` report it, with the forward results and, for an entry
 * that can train (the full one), the training results (null for the inference entry).
 */
export async function run(entry, choice) {
  const lib = await import(entry);
  const started = await lib.init(choice === undefined ? undefined : { backend: choice });
  const train = typeof lib.sequential === 'function' ? await trainAll(lib) : null;
  return { init: started, backend: lib.backend(), forward: forwardAll(lib), train };
}

/** The message `init({ backend: choice })` rejects with, or null when it starts. */
export async function initError(entry, choice) {
  const lib = await import(entry);
  try {
    await lib.init({ backend: choice });
    return null;
  } catch (error) {
    return String(error.message);
  }
}

/**
 * A token model and a series model made with the full entry, saved with toJSON, loaded with the
 * inference entry's modelFromJSON (a model core, which has no fit): what both give for predict,
 * step and greedy generate, as plain arrays.
 */
export async function inferenceRoundTrip(fullEntry, inferenceEntry) {
  const full = await import(fullEntry);
  const inference = await import(inferenceEntry);
  await full.init();
  const tokens = full.sequential([
    full.layers.embedding({ inputDim: 9, outputDim: 4 }),
    full.layers.lstm({ units: 6 }),
    full.layers.dense({ units: 9, activation: 'softmax' }),
  ], { seed: 3 });
  const series = full.sequential([full.layers.gru({ units: 5, inputShape: [null, 2] }), full.layers.dense({ units: 2 })], { seed: 4 });
  tokens.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const outputs = (tokenModel, seriesModel) => ({
    predict: Array.from(tokenModel.predict([[1, 2, 3, 4], [5, 6, 7, 8]]).data),
    generate: tokenModel.generate({ seed: [1, 2], steps: 6, temperature: 0 }).ids,
    step: [[0.5, -0.25], [0.125, 1]].flatMap((x) => Array.from(seriesModel.step(x).data)),
    forecast: Array.from(seriesModel.generate({ seed: [[0.5, -0.25], [0.125, 1]], steps: 3 }).data),
  });
  const saved = outputs(tokens, series);
  // With its compile block and Adam's moments, which the inference entry checks and leaves out.
  const loadedTokens = inference.modelFromJSON(JSON.stringify(tokens.toJSON({ includeOptimizer: true })));
  const loadedSeries = inference.modelFromJSON(series.toJSON());
  const loaded = outputs(loadedTokens, loadedSeries);
  const result = { saved, loaded, trainable: typeof loadedTokens.fit === 'function', savedCompile: loadedTokens.toJSON().compile };
  for (const model of [tokens, series, loadedTokens, loadedSeries]) model.dispose();
  return result;
}
