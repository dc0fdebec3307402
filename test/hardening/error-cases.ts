import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryError, OptionError, ShapeError, StateError, ValueError, type WasmRnnError } from '../../src/errors.js';
import { ModelFileError } from '../../src/io/model-file-error.js';
import { modelFromJSON } from '../../src/io/save-load.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { Tensor } from '../../src/tensor.js';

/*
 * The catalogue of bad input: one row per class of mistake a user can make through the public
 * API. errors.test.ts runs every row; docs/ERRORS.md is rendered from this table
 * (`npx tsx scripts/errors-catalogue.ts`) and the test fails when the two differ.
 */

/** The models a row may use; each row gets fresh ones, trained one step so the optimizer has state. */
export interface ErrorContext {
  /** lstm(4, inputShape [3, 2]) → dense(1), meanSquaredError. */
  regression: Sequential;
  /** lstm(4, inputShape [3, 2]) → dense(3, softmax), sparseCategoricalCrossentropy. */
  classifier: Sequential;
  /** The same as classifier, compiled with categoricalCrossentropy. */
  categorical: Sequential;
}

type ErrorFamily = typeof WasmRnnError;

export interface ErrorCase {
  id: string;
  /** What the user did wrong (one line, shown in docs/ERRORS.md). */
  description: string;
  family: ErrorFamily;
  /** Names the argument, the expectation and the value that came. */
  message: RegExp;
  trigger(context: ErrorContext): unknown;
}

/** Four well-formed samples of 3 steps × 2 features. */
export function goodX(samples = 4): number[][][] {
  return Array.from({ length: samples }, (_, n) => [[0.1 * n, 0.2], [0.3, -0.4], [0.5, 0.6 * n]]);
}

export function goodY(samples = 4): number[][] {
  return Array.from({ length: samples }, (_, n) => [0.25 * n]);
}

const QUIET = { verbose: 0 } as const;

function withX(edit: (x: number[][][]) => void): number[][][] {
  const x = goodX();
  edit(x);
  return x;
}

export function createContext(): ErrorContext {
  const lstm = () => layers.lstm({ units: 4, inputShape: [3, 2] });
  const regression = sequential([lstm(), layers.dense({ units: 1 })], { seed: 1 });
  regression.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const classifier = sequential([lstm(), layers.dense({ units: 3, activation: 'softmax' })], { seed: 2 });
  classifier.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const categorical = sequential([lstm(), layers.dense({ units: 3, activation: 'softmax' })], { seed: 3 });
  categorical.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  return { regression, classifier, categorical };
}

/** One training step on each model, so that "state unchanged" also covers optimizer moments. */
export async function warmUp(context: ErrorContext): Promise<void> {
  await context.regression.fit(goodX(), goodY(), { ...QUIET, batchSize: 4, seed: 1 });
  await context.classifier.fit(goodX(), [0, 1, 2, 1], { ...QUIET, batchSize: 4, seed: 1 });
  await context.categorical.fit(goodX(), [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.1, 0.8, 0.1]], { ...QUIET, batchSize: 4, seed: 1 });
}

export const ERROR_CASES: readonly ErrorCase[] = [
  // ---- x and y: shapes
  {
    id: 'x-rank', description: 'x of rank 2 given to a sequence model ([N, T, F] expected)', family: ShapeError,
    message: /fit: x\[0\]\[0\] must be an array of 2 numbers \(x has shape \[samples, 3, 2\]\), got 0/,
    trigger: (c) => c.regression.fit([[0, 1], [2, 3]], goodY(2), QUIET),
  },
  {
    id: 'x-features', description: 'x steps with the wrong number of features', family: ShapeError,
    message: /fit: x\[0\]\[0\] must be an array of 2 numbers .*got \[1, 2, 3\]/,
    trigger: (c) => c.regression.fit(withX((x) => (x[0]![0] = [1, 2, 3])), goodY(), QUIET),
  },
  {
    id: 'x-ragged-features', description: 'one step of one sample shorter than the others (ragged features)', family: ShapeError,
    message: /fit: x\[1\]\[1\] must be an array of 2 numbers .*got \[3\]/,
    trigger: (c) => c.regression.fit(withX((x) => (x[1]![1] = [3])), goodY(), QUIET),
  },
  {
    id: 'x-too-many-steps', description: 'more time steps than the fixed inputShape allows', family: ShapeError,
    message: /fit: x\[2\] has 4 steps, but the model's inputShape fixes timeSteps = 3/,
    trigger: (c) => c.regression.fit(withX((x) => x[2]!.push([0, 0])), goodY(), QUIET),
  },
  {
    id: 'x-typed-array-flat', description: 'a flat Float32Array instead of a Tensor or nested arrays', family: ShapeError,
    message: /predict: x must be a Tensor or nested number arrays of shape \[samples, 3, 2\], got a Float32Array of length 12/,
    trigger: (c) => c.regression.predict(new Float32Array(12)),
  },
  {
    id: 'x-tensor-shape', description: 'a Tensor whose shape disagrees with inputShape', family: ShapeError,
    message: /predict: x must have shape \[samples, 3, 2\] with at least one sample and step, got \[2, 3, 5\]/,
    trigger: (c) => c.regression.predict(new Tensor(new Float32Array(30), [2, 3, 5])),
  },
  {
    id: 'predict-features', description: 'predict with data whose features disagree with inputShape', family: ShapeError,
    message: /predict: x\[0\]\[0\] must be an array of 2 numbers .*got \[1, 2, 3\]/,
    trigger: (c) => c.regression.predict([[[1, 2, 3], [1, 2, 3], [1, 2, 3]]]),
  },
  {
    id: 'y-width', description: 'y rows wider than the output units', family: ShapeError,
    message: /fit: y\[0\] must be a number or an array of 1 numbers .*got \[1, 2\]/,
    trigger: (c) => c.regression.fit(goodX(), goodX().map(() => [1, 2]), QUIET),
  },
  {
    id: 'xy-count', description: 'x and y with different numbers of samples', family: ShapeError,
    message: /fit: x has 4 samples but y has 3; they must match/,
    trigger: (c) => c.regression.fit(goodX(4), goodY(3), QUIET),
  },
  {
    id: 'step-features', description: 'step() with the wrong number of features', family: ShapeError,
    message: /step: x must be \[2\] or \[batch, 2\], got an array of 3 numbers/,
    trigger: (c) => c.regression.step([1, 2, 3]),
  },
  // ---- x and y: values
  {
    id: 'x-nan', description: 'NaN in x', family: ValueError,
    message: /fit: x\[1\]\[2\]\[0\] must be a finite number, got NaN/,
    trigger: (c) => c.regression.fit(withX((x) => (x[1]![2]![0] = NaN)), goodY(), QUIET),
  },
  {
    id: 'x-infinity', description: 'Infinity in x (predict)', family: ValueError,
    message: /predict: x\[0\]\[1\]\[1\] must be a finite number, got -Infinity/,
    trigger: (c) => c.regression.predict(withX((x) => (x[0]![1]![1] = -Infinity))),
  },
  {
    id: 'x-string', description: 'a string where x needs a number', family: ValueError,
    message: /predict: x\[0\]\[0\]\[0\] must be a finite number, got "a"/,
    trigger: (c) => c.regression.predict([[['a', 2], [3, 4], [5, 6]]]),
  },
  {
    id: 'y-nan', description: 'NaN in the targets', family: ValueError,
    message: /fit: y\[2\]\[0\] must be a finite number, got NaN/,
    trigger: (c) => c.regression.fit(goodX(), [[0], [1], [NaN], [0]], QUIET),
  },
  {
    id: 'data-empty', description: 'empty x and y', family: ValueError,
    message: /fit: x must hold at least one sample, got an empty array/,
    trigger: (c) => c.regression.fit([], [], QUIET),
  },
  {
    id: 'label-too-large', description: 'a class id ≥ the number of classes', family: ValueError,
    message: /fit: sparseCategoricalCrossentropy needs class ids, integers in \[0, 3\) .* but y\[2\]\[0\] is 3/,
    trigger: (c) => c.classifier.fit(goodX(), [0, 1, 3, 2], QUIET),
  },
  {
    id: 'label-negative', description: 'a negative class id', family: ValueError,
    message: /fit: sparseCategoricalCrossentropy needs class ids, integers in \[0, 3\) .* but y\[1\]\[0\] is -1/,
    trigger: (c) => c.classifier.fit(goodX(), [0, -1, 1, 2], QUIET),
  },
  {
    id: 'label-fractional', description: 'a fractional class id (evaluate)', family: ValueError,
    message: /evaluate: sparseCategoricalCrossentropy needs class ids, integers in \[0, 3\) .* but y\[3\]\[0\] is 1.5/,
    trigger: (c) => c.classifier.evaluate(goodX(), [0, 1, 2, 1.5]),
  },
  {
    id: 'one-hot-sum', description: 'a one-hot (categoricalCrossentropy) target row that does not sum to 1', family: ValueError,
    message: /fit: categoricalCrossentropy needs one-hot \(or probability\) rows summing to 1, but y\[2\] sums to 0\.7/,
    trigger: (c) => c.categorical.fit(goodX(), [[1, 0, 0], [0, 1, 0], [0.5, 0.2, 0], [0, 0, 1]], QUIET),
  },
  {
    id: 'one-hot-negative', description: 'a negative probability in a categoricalCrossentropy target', family: ValueError,
    message: /fit: categoricalCrossentropy needs non-negative class probabilities, but y\[0\]\[1\] is -0\.5/,
    trigger: (c) => c.categorical.fit(goodX(), [[1, -0.5, 0.5], [0, 1, 0], [0, 1, 0], [0, 0, 1]], QUIET),
  },
  // ---- fit / predict options
  {
    id: 'batch-size-zero', description: 'batchSize 0 (a batch larger than the data is fine, as in Keras)', family: ValueError,
    message: /fit: batchSize must be a positive integer, got 0/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), { ...QUIET, batchSize: 0 }),
  },
  {
    id: 'batch-size-zero-predict', description: 'batchSize 0 given to predict', family: ValueError,
    message: /predict: batchSize must be a positive integer, got 0/,
    trigger: (c) => c.regression.predict(goodX(), { batchSize: 0 }),
  },
  {
    id: 'batch-size-fractional', description: 'a fractional batchSize', family: ValueError,
    message: /fit: batchSize must be a positive integer, got 1.5/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), { ...QUIET, batchSize: 1.5 }),
  },
  {
    id: 'batch-size-string', description: 'a string for batchSize', family: OptionError,
    message: /fit: batchSize must be a positive integer, got "8"/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), { ...QUIET, batchSize: '8' as never }),
  },
  {
    id: 'epochs-negative', description: 'negative epochs', family: ValueError,
    message: /fit: epochs must be a positive integer, got -1/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), { ...QUIET, epochs: -1 }),
  },
  {
    id: 'validation-split-range', description: 'validationSplit outside [0, 1)', family: OptionError,
    message: /fit: validationSplit must be a number in \[0, 1\), got 1.5/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), { ...QUIET, validationSplit: 1.5 }),
  },
  {
    id: 'fit-option-misspelled', description: "a misspelled fit option ('epoch')", family: OptionError,
    message: /fit: unknown option 'epoch' \(did you mean 'epochs'\?\)/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), { ...QUIET, epoch: 2 } as never),
  },
  {
    id: 'fit-options-null', description: 'null instead of a fit options object', family: OptionError,
    message: /fit: options must be an object, got null/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), null as never),
  },
  {
    id: 'batch-size-huge', description: 'a batchSize past the size limit (2^24)', family: ValueError,
    message: /fit: batchSize must be at most 16777216 \(2\^24\), got 1099511627776/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), { ...QUIET, batchSize: 2 ** 40 }),
  },
  {
    id: 'checkpoint-option', description: 'a checkpoint option without a path', family: OptionError,
    message: /fit: checkpoint: path must be a non-empty string or a file URL, got undefined/,
    trigger: (c) => c.regression.fit(goodX(), goodY(), { ...QUIET, checkpoint: { every: 1 } as never }),
  },
  {
    id: 'checkpoint-architecture', description: 'resuming from the checkpoint of another architecture', family: ModelFileError,
    message: /fit: checkpoint .*: the checkpoint is of another architecture \(GRU\(4\) → Dense\(1\)\) than this model \(LSTM\(4\) → Dense\(1\)\): layer 0 is/,
    trigger: async (c) => {
      const folder = mkdtempSync(join(tmpdir(), 'wasm-rnn-errors-'));
      const path = join(folder, 'checkpoint.json');
      try {
        const other = sequential([layers.gru({ units: 4, inputShape: [3, 2] }), layers.dense({ units: 1 })], { seed: 9 });
        other.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
        await other.fit(goodX(), goodY(), { ...QUIET, checkpoint: { path } });
        other.dispose();
        return await c.regression.fit(goodX(), goodY(), { ...QUIET, checkpoint: { path, resume: true } });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  },
  // ---- sizes and memory
  {
    id: 'huge-input-shape', description: 'an inputShape with a size past the limit (2^24), e.g. [1e308, 1]', family: ValueError,
    message: /layers\.lstm: inputShape\[0\] must be at most 16777216 \(2\^24\), got 1e\+308/,
    trigger: () => layers.lstm({ units: 4, inputShape: [1e308, 1] }),
  },
  {
    id: 'huge-units', description: 'units past the size limit (2^24), e.g. 1e9', family: ValueError,
    message: /layers\.lstm: units must be at most 16777216 \(2\^24\), got 1000000000/,
    trigger: () => layers.lstm({ units: 1e9, inputShape: [3, 1] }),
  },
  {
    id: 'huge-layer', description: 'a layer whose parameters and gradients exceed the 4 GiB heap', family: ValueError,
    message: /sequential: layer 0 \(dense\) would hold 1000001000000 parameters \(8000008000000 bytes with their gradients\), over the heap limit of 4294967296 bytes/,
    trigger: () => sequential([layers.dense({ units: 1e6, inputShape: [1e6] })]),
  },
  {
    id: 'heap-limit', description: 'a model that fits layer by layer but not as a whole in the 4 GiB heap', family: MemoryError,
    message: /Arena\.alloc: a region of 4294967296 bytes does not fit: the heap would grow from \d+ to \d+ bytes, past its limit of 4294967296 bytes \(4 GiB\)/,
    trigger: () => sequential([layers.dense({ units: 32768, inputShape: [16384], useBias: false }), layers.dense({ units: 16384, useBias: false })]),
  },
  {
    id: 'generate-steps-huge', description: 'generate with steps past the size limit (2^24)', family: ValueError,
    message: /generate: steps must be at most 16777216 \(2\^24\), got 1000000000000/,
    trigger: (c) => c.regression.generate({ seed: [[0, 0]], steps: 1e12, feedback: (output) => [output[0]!, 0] }),
  },
  // ---- building and compiling
  {
    id: 'units-negative', description: 'negative units', family: ValueError,
    message: /layers\.lstm: units must be a positive integer, got -3/,
    trigger: () => layers.lstm({ units: -3, inputShape: [3, 2] }),
  },
  {
    id: 'units-fractional', description: 'fractional units', family: ValueError,
    message: /layers\.gru: units must be a positive integer, got 2.5/,
    trigger: () => layers.gru({ units: 2.5, inputShape: [3, 2] }),
  },
  {
    id: 'units-string', description: 'a string for units', family: OptionError,
    message: /layers\.lstm: units must be a positive integer, got "4"/,
    trigger: () => layers.lstm({ units: '4' as never, inputShape: [3, 2] }),
  },
  {
    id: 'layer-option-misspelled', description: "a misspelled layer option ('unit')", family: OptionError,
    message: /layers\.lstm: unknown option 'unit' \(did you mean 'units'\?\)/,
    trigger: () => layers.lstm({ unit: 4, inputShape: [3, 2] } as never),
  },
  {
    id: 'activation-unknown', description: 'an unknown activation name', family: OptionError,
    message: /layers\.dense: activation must be one of .* got "relu6" \(did you mean 'relu'\?\)/,
    trigger: () => layers.dense({ units: 4, activation: 'relu6' as never }),
  },
  {
    id: 'dropout-range', description: 'dropout outside [0, 1)', family: ValueError,
    message: /layers\.lstm: dropout must be a number in \[0, 1\), got 1.5/,
    trigger: () => layers.lstm({ units: 2, dropout: 1.5, inputShape: [3, 2] }),
  },
  {
    id: 'input-shape-negative', description: 'a negative size in inputShape', family: ValueError,
    message: /layers\.lstm: inputShape must be \[timeSteps, features\] .* got \[3, -2\]/,
    trigger: () => layers.lstm({ units: 4, inputShape: [3, -2] }),
  },
  {
    id: 'input-shape-missing', description: 'a first layer without inputShape', family: ShapeError,
    message: /sequential: layer 0 \(lstm\) is the first layer and needs inputShape/,
    trigger: () => sequential([layers.lstm({ units: 4 })]),
  },
  {
    id: 'model-option-misspelled', description: "a misspelled sequential option ('sed')", family: OptionError,
    message: /sequential: unknown option 'sed' \(did you mean 'seed'\?\)/,
    trigger: () => sequential([layers.dense({ units: 1, inputShape: [2] })], { sed: 3 } as never),
  },
  {
    id: 'seed-string', description: 'a string for the seed', family: OptionError,
    message: /sequential: seed must be an integer, got "x"/,
    trigger: () => sequential([layers.dense({ units: 1, inputShape: [2] })], { seed: 'x' as never }),
  },
  {
    id: 'loss-misspelled', description: "a misspelled loss ('meanSquareError')", family: OptionError,
    message: /compile: loss must be one of .* got "meanSquareError" \(did you mean 'meanSquaredError'\?\)/,
    trigger: (c) => c.regression.compile({ optimizer: 'adam', loss: 'meanSquareError' as never }),
  },
  {
    id: 'optimizer-misspelled', description: "a misspelled optimizer ('adm')", family: OptionError,
    message: /compile: optimizer must be one of .* got "adm" \(did you mean 'adam'\?\)/,
    trigger: (c) => c.regression.compile({ optimizer: 'adm' as never, loss: 'meanSquaredError' }),
  },
  {
    id: 'compile-option-misspelled', description: "a misspelled compile option ('metric')", family: OptionError,
    message: /compile: unknown option 'metric' \(did you mean 'metrics'\?\)/,
    trigger: (c) => c.regression.compile({ optimizer: 'adam', loss: 'meanSquaredError', metric: ['mae'] } as never),
  },
  {
    id: 'clip-norm-negative', description: 'a negative clipNorm', family: OptionError,
    message: /compile: clipNorm must be a finite number > 0, got -1/,
    trigger: (c) => c.regression.compile({ optimizer: 'adam', loss: 'meanSquaredError', clipNorm: -1 }),
  },
  {
    id: 'optimizer-prototype-name', description: "an optimizer config named after an Object member ('constructor')", family: OptionError,
    message: /compile: optimizer: name must be one of sgd, adam, adamw, rmsprop, adagrad, got "constructor"/,
    trigger: (c) => c.regression.compile({ optimizer: { name: 'constructor' } as never, loss: 'meanSquaredError' }),
  },
  {
    id: 'layer-prototype-class', description: "a layer spec whose className is an Object member ('constructor')", family: ValueError,
    message: /sequential: layers\[0\]: expected a layer made by layers\.\* .* with className "constructor" \(known: /,
    trigger: () => sequential([{ className: 'constructor', config: {} } as never]),
  },
  // ---- state dicts and files
  {
    id: 'state-dict-architecture', description: 'a state dict of another architecture (GRU weights into an LSTM)', family: ShapeError,
    message: /loadStateDict: 0\.weight_ih_l0 must have shape \[16, 2\], got \[12, 2\]/,
    trigger: (c) => {
      const gru = sequential([layers.gru({ units: 4, inputShape: [3, 2] }), layers.dense({ units: 1 })], { seed: 4 });
      try {
        c.regression.loadStateDict(gru.stateDict());
      } finally {
        gru.dispose();
      }
    },
  },
  {
    id: 'state-dict-missing', description: 'a state dict with a parameter missing', family: ValueError,
    message: /loadStateDict: parameter names do not match \(missing '1\.bias'\)/,
    trigger: (c) => {
      const dict: Record<string, Tensor> = c.regression.stateDict();
      delete dict['1.bias'];
      c.regression.loadStateDict(dict);
    },
  },
  {
    id: 'state-dict-nan', description: 'NaN in loaded weights', family: ValueError,
    message: /loadStateDict: 1\.bias must be finite, but element 0 is NaN/,
    trigger: (c) => {
      const dict = c.regression.stateDict();
      (dict['1.bias']!.data as Float32Array)[0] = NaN;
      c.regression.loadStateDict(dict);
    },
  },
  {
    id: 'model-file-future-version', description: 'a model file written by a newer format version', family: ModelFileError,
    message: /modelFromJSON: the file has format version 99, written by a newer wasm-rnn; this version reads up to 1/,
    trigger: (c) => modelFromJSON({ ...c.regression.toJSON(), formatVersion: 99 }),
  },
  {
    id: 'model-file-truncated', description: 'truncated model file text', family: ModelFileError,
    message: /modelFromJSON: the document is not valid JSON: /,
    trigger: (c) => {
      const text = JSON.stringify(c.regression.toJSON());
      return modelFromJSON(text.slice(0, Math.floor(text.length / 2)));
    },
  },
  {
    id: 'model-file-prototype-class', description: "a model file whose layer className is an Object member ('toString')", family: ModelFileError,
    message: /modelFromJSON: architecture: layers\[0\]: expected a layer made by layers\.\* .* with className "toString" \(known: /,
    trigger: (c) => modelFromJSON(JSON.stringify(c.regression.toJSON()).replace('"className":"LSTM"', '"className":"toString"')),
  },
  {
    id: 'model-file-duplicate-key', description: 'a model file with a duplicate key (JSON.parse would keep the last one)', family: ModelFileError,
    message: /modelFromJSON: the document is not valid JSON: duplicate key "kind" at character \d+/,
    trigger: (c) => modelFromJSON(JSON.stringify(c.regression.toJSON()).replace('"kind":"sequential"', '"kind":"sequential","kind":"sequential"')),
  },
  // ---- lifecycle
  {
    id: 'not-compiled', description: 'fit before compile', family: StateError,
    message: /fit: the model is not compiled; call model\.compile/,
    trigger: () => sequential([layers.dense({ units: 1, inputShape: [2] })], { seed: 5 }).fit([[1, 2]], [[1]], QUIET),
  },
  {
    id: 'disposed-predict', description: 'predict on a disposed model', family: StateError,
    message: /predict: this model was disposed/,
    trigger: () => {
      const model = sequential([layers.dense({ units: 1, inputShape: [2] })], { seed: 6 });
      model.dispose();
      return model.predict([[1, 2]]);
    },
  },
  {
    id: 'disposed-fit', description: 'fit on a disposed model', family: StateError,
    message: /fit: this model was disposed/,
    trigger: () => {
      const model = sequential([layers.dense({ units: 1, inputShape: [2] })], { seed: 7 });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      model.dispose();
      return model.fit([[1, 2]], [[1]], QUIET);
    },
  },
];
