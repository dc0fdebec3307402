// The library runs here, off the page's thread, so training never freezes the page. Messages in:
// { type: 'train-text' | 'train-series' | 'generate' | 'forecast' | 'download' | 'load', … };
// messages out: { type: 'ready' | 'progress' | 'trained' | 'generated' | 'forecast' | 'model' | 'loaded' | 'error', … }.
import { backend, charTokenizer, init, layers, loadModel, minMaxScaler, optimizers, sequential } from '/dist/index.js';

/** Characters per training sequence (text) and years per window (series). */
const TEXT_WINDOW = 32;
const SERIES_WINDOW = 24;
/** Years held out at the end of the series and forecast from the years before them. */
const FORECAST_YEARS = 40;
const MAX_SAMPLES = 384;

let model = null;

const post = (message) => self.postMessage(message);

function recurrentStack(cell, units, depth, firstInputShape) {
  return Array.from({ length: depth }, (_, i) =>
    layers[cell]({ units, returnSequences: true, ...(i === 0 && firstInputShape ? { inputShape: firstInputShape } : {}) }));
}

/** Windows `[i, i + length)` and the same shifted by one step, at most MAX_SAMPLES of them, evenly spread. */
function nextStepWindows(values, length) {
  const starts = values.length - length - 1;
  if (starts < 1) throw new Error(`the data needs at least ${length + 2} steps (characters or years)`);
  const count = Math.min(starts, MAX_SAMPLES);
  const x = [];
  const y = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor((k * starts) / count);
    x.push(values.slice(i, i + length));
    y.push(values.slice(i + 1, i + length + 1));
  }
  return { x, y };
}

/** fit callbacks that report each batch's loss, each epoch's loss and the tokens (steps) per second. */
function progressCallbacks(stepsPerSample) {
  let started = performance.now();
  let steps = 0;
  return {
    onEpochBegin: () => { started = performance.now(); steps = 0; },
    onBatchEnd: (batch, logs) => {
      steps += logs.size * stepsPerSample;
      post({ type: 'progress', batch, loss: logs.loss, tokensPerSecond: steps / ((performance.now() - started) / 1000) });
    },
    onEpochEnd: (epoch, logs) => {
      post({ type: 'progress', epoch, epochLoss: logs.loss, tokensPerSecond: steps / ((performance.now() - started) / 1000) });
    },
  };
}

async function trainText({ text, cell, units, depth, epochs }) {
  const tokenizer = charTokenizer(text);
  const { x, y } = nextStepWindows(tokenizer.encode(text), TEXT_WINDOW);
  model?.dispose();
  model = sequential([
    layers.embedding({ inputDim: tokenizer.vocabSize, outputDim: 16 }),
    ...recurrentStack(cell, units, depth),
    layers.dense({ units: tokenizer.vocabSize, activation: 'softmax' }),
  ], { seed: 1 });
  model.tokenizer = tokenizer;
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', clipNorm: 1 });
  await model.fit(x, y, { epochs, batchSize: 32, seed: 2, verbose: 0, callbacks: progressCallbacks(TEXT_WINDOW) });
  post({ type: 'trained', kind: 'text', params: model.countParams() });
}

async function trainSeries({ values, cell, units, depth, epochs }) {
  const scaler = minMaxScaler().fit(values.slice(0, -FORECAST_YEARS).map((v) => [v]));
  const scaled = scaler.transform(values.map((v) => [v]));
  const { x, y } = nextStepWindows(scaled.slice(0, -FORECAST_YEARS), SERIES_WINDOW);
  model?.dispose();
  model = sequential([
    ...recurrentStack(cell, units, depth, [null, 1]),
    layers.dense({ units: 1 }),
  ], { seed: 1 });
  model.scaler = scaler;
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'mse', clipNorm: 1 });
  await model.fit(x, y, { epochs, batchSize: 16, seed: 2, verbose: 0, callbacks: progressCallbacks(SERIES_WINDOW) });
  post({ type: 'trained', kind: 'series', params: model.countParams() });
  forecast({ values });
}

/** Feeds the model its own predictions for the held-out years, from the years before them. */
function forecast({ values }) {
  if (model === null || model.scaler === null) throw new Error('train or load a series model first');
  const known = values.slice(0, -FORECAST_YEARS);
  const seed = model.scaler.transform(known.slice(-3 * SERIES_WINDOW).map((v) => [v]));
  const predicted = model.generate({ seed, steps: FORECAST_YEARS });
  const forecastValues = model.scaler.inverse(predicted.toArray()).map(([v]) => v);
  post({ type: 'forecast', start: known.length, forecast: forecastValues });
}

function generate({ prefix, steps, temperature }) {
  if (model === null || model.tokenizer === null) throw new Error('train or load a text model first');
  post({ type: 'generated', text: model.generate({ seed: prefix, steps, temperature }).text });
}

async function load({ text }) {
  const loaded = await loadModel(text);
  if (loaded.kind !== 'sequential') throw new Error(`the playground runs sequential models, this file holds a ${loaded.kind}`);
  model?.dispose();
  model = loaded;
  post({ type: 'loaded', kind: model.tokenizer !== null ? 'text' : 'series', params: model.countParams(), epochs: model.epochsTrained });
}

const handlers = {
  'train-text': trainText,
  'train-series': trainSeries,
  forecast,
  generate,
  load,
  download: () => {
    if (model === null) throw new Error('train or load a model first');
    post({ type: 'model', text: JSON.stringify(model.toJSON()) });
  },
};

// One message at a time, in order: a click during training waits for the training to end.
const reportError = (error) => post({ type: 'error', message: String(error?.message ?? error) });
let queue = init().then(() => post({ type: 'ready', backend: backend() }), reportError);
self.onmessage = ({ data }) => {
  queue = queue.then(() => handlers[data.type](data)).catch(reportError);
};
