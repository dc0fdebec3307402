import { OptionError, ShapeError, StateError, ValueError, checkOptionNames, describe, positiveInteger, sizeOption, valuesWithinLimit } from '../errors.js';
import type { Tokenizer } from '../data/tokenizer.js';
import type { HeapArray } from '../memory/storage.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { Stream, type StreamModel } from './stateful.js';

/*
 * One-to-many: a model fed its own output. The seed (prompt) runs once as one sequence, then each
 * new step is ONE forward step from the carried recurrent state, never a re-run of the sequence.
 */

/** `generate` options of a token model (first layer an embedding, last a dense over the vocabulary). */
export interface GenerateTokensOptions {
  /** The prompt: token ids, or text when a tokenizer is attached (`model.tokenizer`). At least one token. */
  seed: readonly number[] | string;
  /** Tokens to generate (at most; generation stops early at endToken). */
  steps: number;
  /** Softmax temperature: 0 = greedy (argmax), 1 = the model's distribution (default), > 1 flatter. */
  temperature?: number;
  /** Sample among the k most likely tokens only. Default: all. */
  topK?: number;
  /** Seed of the sampling: the same rng gives the same tokens. Default: random. */
  rng?: number;
  /** Stop when this id is generated (not included). Default: the tokenizer's '<eos>' id, if any. */
  endToken?: number;
}

/** What a token model generates: the new ids (prompt excluded), and their text with a tokenizer. */
export interface GeneratedTokens {
  ids: number[];
  text?: string;
}

/** `generate` options of a real-valued model whose output is fed back as its next input. */
export interface GenerateSeriesOptions {
  /** The known beginning, [steps, features] (nested arrays or a Tensor). */
  seed: readonly (readonly number[])[] | Tensor;
  /** Outputs to generate. */
  steps: number;
  /**
   * The next input from this step's output ([units] values) when they differ (e.g. add known
   * calendar features). Default: the output itself, which needs units = features.
   */
  feedback?: (output: Float32Array, step: number) => ArrayLike<number>;
}

export interface GeneratingModel extends StreamModel {
  readonly tokenizer: Tokenizer | null;
}

const TOKEN_OPTIONS = ['seed', 'steps', 'temperature', 'topK', 'rng', 'endToken'] as const;
const SERIES_OPTIONS = ['seed', 'steps', 'feedback'] as const;

export function generateTokens(model: GeneratingModel, options: GenerateTokensOptions): GeneratedTokens {
  const where = 'generate';
  checkObject(where, options);
  checkOptionNames(where, options, TOKEN_OPTIONS);
  const vocab = tokenVocabulary(where, model);
  const prompt = promptIds(where, model, options.seed, vocab.inputDim);
  const steps = sizeOption(where, 'steps', options.steps);
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new OptionError(`${where}: temperature must be a finite number ≥ 0 (0 = greedy), got ${describe(temperature)}`);
  }
  const topK = options.topK === undefined ? vocab.size : Math.min(positiveInteger(where, 'topK', options.topK), vocab.size);
  const endToken = options.endToken ?? model.tokenizer?.eosId;
  if (endToken !== undefined && !(Number.isInteger(endToken) && endToken >= 0 && endToken < vocab.size)) {
    throw new OptionError(`${where}: endToken must be an id in [0, ${vocab.size}), got ${describe(endToken)}`);
  }
  if (options.rng !== undefined && !Number.isInteger(options.rng)) throw new OptionError(`${where}: rng must be an integer seed, got ${describe(options.rng)}`);
  const random = new Random(options.rng ?? Math.floor(Math.random() * 2 ** 32));
  const scores = new Float64Array(vocab.size);
  const ids: number[] = [];
  withStream(model, where, (stream) => {
    const heap = () => model.runtime.arena.storage.data;
    const input = stream.inputBuffers(prompt.length);
    heap().set(prompt, input.x >>> 2);
    const mask = vocab.maskZero && prompt.includes(0) ? writeMask(heap(), input.mask, prompt) : 0;
    let output = stream.advance(input.x, prompt.length, 1, mask);
    for (let step = 0; step < steps; step++) {
      readScores(heap(), output, scores, vocab.probabilities);
      const id = pick(scores, temperature, topK, random);
      if (id === endToken) break;
      ids.push(id);
      if (step === steps - 1) break;
      const next = stream.inputBuffers(1);
      heap()[next.x >>> 2] = id;
      heap()[next.mask >>> 2] = vocab.maskZero && id === 0 ? 0 : 1;
      output = stream.advance(next.x, 1, 1, vocab.maskZero ? next.mask : 0);
    }
  });
  const result: GeneratedTokens = { ids };
  if (model.tokenizer !== null) result.text = model.tokenizer.decode(ids);
  return result;
}

export function generateSeries(model: GeneratingModel, options: GenerateSeriesOptions): Tensor {
  const where = 'generate';
  checkObject(where, options);
  checkOptionNames(where, options, SERIES_OPTIONS);
  const F = model.plan.input.features;
  const units = model.plan.output.features;
  const seed = readSeries(where, options.seed, F);
  const steps = sizeOption(where, 'steps', options.steps);
  const feedback = options.feedback;
  if (feedback !== undefined && typeof feedback !== 'function') throw new OptionError(`${where}: feedback must be a function (output, step) => nextInput, got ${describe(feedback)}`);
  if (feedback === undefined && units !== F) {
    throw new OptionError(`${where}: the model outputs ${units} values per step but reads ${F} features, so its output cannot be its next input; pass feedback: (output, step) => nextInput`);
  }
  valuesWithinLimit(where, `steps × units (${steps} × ${units})`, steps * units);
  const result = new Float32Array(steps * units);
  withStream(model, where, (stream) => {
    const heap = () => model.runtime.arena.storage.data;
    const T0 = seed.length / F;
    const input = stream.inputBuffers(T0);
    heap().set(seed, input.x >>> 2);
    let output = stream.advance(input.x, T0, 1, 0);
    for (let step = 0; step < steps; step++) {
      const y = heap().slice(output >>> 2, (output >>> 2) + units);
      result.set(y, step * units);
      if (step === steps - 1) break;
      const next = nextInput(where, feedback === undefined ? y : feedback(Float32Array.from(y), step), F, step);
      const buffers = stream.inputBuffers(1);
      heap().set(next, buffers.x >>> 2);
      output = stream.advance(buffers.x, 1, 1, 0);
    }
  });
  return new Tensor(result, [steps, units]);
}

function withStream(model: GeneratingModel, where: string, run: (stream: Stream) => void): void {
  const stream = new Stream(model, where);
  try {
    stream.reset(1);
    run(stream);
  } finally {
    stream.release();
  }
}

function checkObject(where: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: expected options such as { seed, steps }, got ${describe(options)}`);
}

interface Vocabulary {
  /** Ids the model outputs scores for. */
  size: number;
  /** Ids the embedding reads. */
  inputDim: number;
  maskZero: boolean;
  /** The output is a softmax (true) or logits (false). */
  probabilities: boolean;
}

function tokenVocabulary(where: string, model: GeneratingModel): Vocabulary {
  const layers = model.plan.layers;
  const first = layers[0]!.spec;
  const last = layers[layers.length - 1]!;
  if (first.className !== 'Embedding') throw new OptionError(`${where}: token generation needs an embedding as the first layer`);
  const activation = last.spec.className === 'Dense' ? last.spec.config.activation : null;
  if (activation !== 'softmax' && activation !== 'linear') {
    throw new OptionError(`${where}: token generation needs the last layer to be a dense layer over the vocabulary with activation 'softmax' (or 'linear' for logits), but layer ${last.index} (${last.name}) is ${activation === null ? `a ${last.spec.className}` : `a dense '${activation}'`}`);
  }
  const size = last.output.features;
  const inputDim = first.config.inputDim;
  if (size > inputDim) throw new OptionError(`${where}: the model scores ${size} ids but its embedding reads only ${inputDim} (inputDim), so generated ids could not be fed back`);
  return { size, inputDim, maskZero: first.config.maskZero, probabilities: activation === 'softmax' };
}

function promptIds(where: string, model: GeneratingModel, seed: unknown, inputDim: number): Float32Array {
  let ids: readonly unknown[];
  if (typeof seed === 'string') {
    const tokenizer = model.tokenizer;
    if (tokenizer === null) throw new StateError(`${where}: seed is text, but no tokenizer is attached; set model.tokenizer = charTokenizer(texts) (or pass token ids)`);
    const encoded = tokenizer.encode(seed);
    // A prompt continues: drop the '<eos>' a bosEos tokenizer appends.
    ids = tokenizer.eosId !== undefined && encoded.at(-1) === tokenizer.eosId ? encoded.slice(0, -1) : encoded;
    if (ids.length === 0) throw new ValueError(`${where}: seed ${describe(seed)} holds no token; give at least one character or word`);
  } else if (Array.isArray(seed)) {
    ids = seed;
  } else {
    throw new ValueError(`${where}: seed must be an array of token ids${model.tokenizer === null ? '' : ' or a string'}, got ${describe(seed)}`);
  }
  if (ids.length === 0) throw new ValueError(`${where}: seed must hold at least one token id (e.g. a '<bos>' id) for the model to read`);
  return Float32Array.from(ids, (id, i) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= inputDim) {
      throw new ValueError(`${where}: seed[${i}] must be a token id, an integer in [0, ${inputDim}), got ${describe(id)}`);
    }
    return id;
  });
}

function writeMask(heap: HeapArray, mask: number, ids: Float32Array): number {
  ids.forEach((id, t) => (heap[(mask >>> 2) + t] = id === 0 ? 0 : 1));
  return mask;
}

/** Log-probabilities (softmax output) or logits of the step's output row, in float64. */
function readScores(heap: HeapArray, output: number, scores: Float64Array, probabilities: boolean): void {
  const start = output >>> 2;
  for (let i = 0; i < scores.length; i++) scores[i] = probabilities ? Math.log(heap[start + i]!) : heap[start + i]!;
}

/**
 * The argmax (temperature 0; the first on ties), else a draw from softmax(scores / temperature)
 * restricted to the topK highest scores.
 */
export function pick(scores: Float64Array, temperature: number, topK: number, random: Random): number {
  if (temperature === 0 || topK === 1) return argmax(scores);
  const candidates = topK < scores.length
    ? Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, topK)
    : Array.from(scores.keys());
  const top = scores[argmax(scores)]!;
  const weights = candidates.map((i) => Math.exp((scores[i]! - top) / temperature));
  let r = random.next() * weights.reduce((a, b) => a + b, 0);
  for (let j = 0; j < candidates.length; j++) {
    r -= weights[j]!;
    if (r < 0) return candidates[j]!;
  }
  return candidates[candidates.length - 1]!;
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function readSeries(where: string, seed: unknown, F: number): Float32Array {
  if (seed instanceof Tensor) {
    if (seed.rank !== 2 || seed.shape[1] !== F || seed.shape[0] === 0) throw new ShapeError(`${where}: seed must have shape [steps, ${F}], got [${seed.shape.join(', ')}]`);
    return checkFiniteValues(where, Float32Array.from(seed.data));
  }
  if (!Array.isArray(seed) || seed.length === 0) throw new ShapeError(`${where}: seed must be a non-empty array of steps [steps, ${F}] (or a Tensor), got ${describe(seed)}`);
  const out = new Float32Array(seed.length * F);
  seed.forEach((step: unknown, t) => {
    if (!Array.isArray(step) || step.length !== F) throw new ShapeError(`${where}: seed[${t}] must be an array of ${F} numbers (the model reads ${F} features per step), got ${describe(step)}`);
    step.forEach((v: unknown, f) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${where}: seed[${t}][${f}] must be a finite number, got ${describe(v)}`);
      out[t * F + f] = v;
    });
  });
  return out;
}

function checkFiniteValues(where: string, values: Float32Array): Float32Array {
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ValueError(`${where}: seed must be finite, but element ${i} is ${v}`);
  });
  return values;
}

function nextInput(where: string, value: ArrayLike<number>, F: number, step: number): Float32Array {
  if (value === null || typeof value !== 'object' || value.length !== F) {
    throw new ShapeError(`${where}: feedback must return ${F} numbers (the model's next input), got ${describe(value)} after step ${step}`);
  }
  const next = Float32Array.from(value);
  next.forEach((v, f) => {
    if (!Number.isFinite(v)) throw new ValueError(`${where}: feedback returned a non-finite value ${v} at index ${f} after step ${step}`);
  });
  return next;
}
