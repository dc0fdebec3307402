import { describe } from '../errors.js';
import type { GateActivation } from '../layers/cell.js';
import { layers, type InputShape, type LayerSpec, type RecurrentClassName, type RecurrentSpec } from '../model/layer-specs.js';
import { fail, field, isRecord, record, text, type JsonRecord } from './keras-json.js';
import type { KerasLayer } from './keras-topology.js';

/*
 * One Keras layer config (class_name + config, snake_case keys, as in tfjs model.json, Keras 2
 * model_config and Keras 3 config.json) → a `layers.*` spec. Keys that change what the layer
 * computes are read and checked (an unsupported value names the option and what is supported);
 * keys that only matter for training from scratch or for speed (initializers, regularizers,
 * constraints, `implementation`, `unroll`, `use_cudnn`, `trainable`, …) are ignored, and so are
 * keys a newer Keras may add.
 */

/** Which Keras wrote the file: decides what `hard_sigmoid` means and the defaults of missing keys. */
export type KerasFlavor = 'keras3' | 'keras2' | 'tfjs';
export const KERAS_FLAVORS: readonly KerasFlavor[] = ['keras3', 'keras2', 'tfjs'];

const SUPPORTED_LAYERS = 'InputLayer, SimpleRNN, LSTM, GRU, Bidirectional, Dense, Embedding, Dropout, Masking, TimeDistributed(Dense)';

/** Keras 3's hard_sigmoid is relu6(x + 3) / 6; Keras 2's and tfjs' is clip(0.2x + 0.5, 0, 1). */
const HARD_SIGMOID: Record<KerasFlavor, GateActivation> = { keras3: 'hardSigmoidKeras3', keras2: 'hardSigmoid', tfjs: 'hardSigmoid' };
/** tfjs (like Keras ≤ 2.2) defaults to hard_sigmoid gates and the reset-before GRU; tf.keras and Keras 3 to sigmoid and reset-after. */
const DEFAULT_RECURRENT_ACTIVATION: Record<KerasFlavor, string> = { keras3: 'sigmoid', keras2: 'sigmoid', tfjs: 'hard_sigmoid' };
const DEFAULT_RESET_AFTER: Record<KerasFlavor, boolean> = { keras3: true, keras2: true, tfjs: false };

const DENSE_ACTIVATIONS = ['linear', 'tanh', 'sigmoid', 'relu', 'softmax'] as const;

export interface LayerContext {
  where: string;
  flavor: KerasFlavor;
  /** `layer 2 'lstm' (LSTM)`, for messages. */
  label: string;
  /** The model's input shape without the batch axis, for the first layer only. */
  inputShape: InputShape | undefined;
}

export function isInputLayer(layer: KerasLayer): boolean {
  return layer.className === 'InputLayer';
}

/** The batch shape a layer declares (`batch_input_shape` in tfjs/Keras 2, `batch_shape` in Keras 3). */
export function declaredBatchShape(config: JsonRecord): unknown {
  return field(config, 'batch_input_shape') ?? field(config, 'batch_shape') ?? field(config, 'batchInputShape');
}

/** Maps one non-input Keras layer to a spec. */
export function specFromKeras(layer: KerasLayer, context: LayerContext): LayerSpec {
  const c = new ConfigReader(layer.config, context);
  checkDtype(c);
  const name = layer.name;
  const common = { name, ...(context.inputShape === undefined ? {} : { inputShape: context.inputShape }) };
  switch (layer.className) {
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return recurrentSpec(layer.className, c, common);
    case 'Bidirectional':
      return bidirectionalSpec(c, common);
    case 'Dense':
      return layers.dense({ ...common, ...denseArgs(c) });
    case 'TimeDistributed': {
      const inner = innerLayer(c, 'layer');
      if (inner.className !== 'Dense') c.unsupported('layer', `${inner.className} inside TimeDistributed`, 'TimeDistributed(Dense)');
      // The wrapper's name is the layer's name (its weights are stored under it).
      return layers.timeDistributed({ ...common, layer: layers.dense(denseArgs(new ConfigReader(inner.config, context))) });
    }
    case 'Embedding':
      return embeddingSpec(c, name, context);
    case 'Dropout':
      c.expect('noise_shape', null, 'null (the same mask shape as the input)');
      return layers.dropout({ ...common, rate: c.number('rate') });
    case 'Masking':
      return layers.masking({ ...common, maskValue: c.number('mask_value', 0) });
    default:
      return fail(context.where, `${context.label} is not supported; supported layers: ${SUPPORTED_LAYERS}`);
  }
}

/** Reads a layer's snake_case config with messages that name the layer and option. */
class ConfigReader {
  constructor(
    readonly config: JsonRecord,
    readonly context: LayerContext,
  ) {}

  get(key: string): unknown {
    return field(this.config, key);
  }

  unsupported(key: string, value: string, supported: string): never {
    return fail(this.context.where, `${this.context.label}: ${key} ${value} is not supported; supported: ${supported}`);
  }

  number(key: string, fallback?: number): number {
    const value = this.get(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(this.context.where, `${this.context.label}: ${key} must be a number, got ${describe(value)}`);
    return value;
  }

  integer(key: string): number {
    const value = this.get(key);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(this.context.where, `${this.context.label}: ${key} must be a positive integer, got ${describe(value)}`);
    return value;
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.get(key) ?? fallback;
    if (typeof value !== 'boolean') fail(this.context.where, `${this.context.label}: ${key} must be true or false, got ${describe(value)}`);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.get(key) ?? fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.unsupported(key, describe(value), allowed.map((a) => `'${a}'`).join(', '));
    }
    return value as T;
  }

  /** An option whose only supported value is the default (absent counts as the default). */
  expect(key: string, supported: unknown, supportedText: string): void {
    const value = this.get(key);
    if (value !== undefined && value !== supported && !(supported === 0 && value === null)) this.unsupported(key, describe(value), supportedText);
  }
}

/** Weights and arithmetic here are float32; Keras 3 writes a dtype policy object, Keras 2 / tfjs a string. */
function checkDtype(c: ConfigReader): void {
  const dtype = c.get('dtype');
  if (dtype === undefined || dtype === null) return;
  const name = isRecord(dtype) ? field(isRecord(field(dtype, 'config')) ? (field(dtype, 'config') as JsonRecord) : {}, 'name') : dtype;
  if (name !== 'float32') c.unsupported('dtype', describe(name), "'float32'");
}

function recurrentArgs(className: RecurrentClassName, c: ConfigReader) {
  for (const [key, why] of [['return_state', 'false (a sequential model passes one tensor on)'], ['stateful', 'false (use model.step for streaming)'], ['time_major', 'false']] as const) {
    c.expect(key, false, why);
  }
  c.expect('recurrent_dropout', 0, '0 (use dropout on the inputs)');
  const flavor = c.context.flavor;
  const args = {
    units: c.integer('units'),
    activation: c.oneOf('activation', className === 'SimpleRNN' ? (['tanh', 'relu'] as const) : (['tanh'] as const), 'tanh'),
    useBias: c.bool('use_bias', true),
    returnSequences: c.bool('return_sequences', false),
    dropout: c.number('dropout', 0),
    goBackwards: c.bool('go_backwards', false),
    zeroOutputForMask: false,
  };
  // Keras' zero_output_for_mask (zeros at masked steps instead of the carried state) changes only
  // per-step outputs; tfjs has no such option and always carries, so its files leave it off.
  args.zeroOutputForMask = flavor !== 'tfjs' && c.bool('zero_output_for_mask', false) && args.returnSequences;
  if (className === 'SimpleRNN') return args;
  const gate = c.oneOf('recurrent_activation', ['sigmoid', 'hard_sigmoid'] as const, DEFAULT_RECURRENT_ACTIVATION[flavor] as 'sigmoid' | 'hard_sigmoid');
  const recurrentActivation: GateActivation = gate === 'sigmoid' ? 'sigmoid' : HARD_SIGMOID[flavor];
  // unit_forget_bias only sets the initial forget bias; the loaded weights replace it.
  if (className === 'LSTM') return { ...args, recurrentActivation, unitForgetBias: false };
  return { ...args, recurrentActivation, resetAfter: c.bool('reset_after', DEFAULT_RESET_AFTER[flavor]) };
}

function recurrentSpec(className: RecurrentClassName, c: ConfigReader, common: { name: string; inputShape?: InputShape }): RecurrentSpec {
  const args = recurrentArgs(className, c);
  const factory = className === 'SimpleRNN' ? layers.simpleRNN : className === 'LSTM' ? layers.lstm : layers.gru;
  return factory({ ...common, ...args });
}

/** A nested `{ class_name, config }` (Keras 3 adds module / registered_name). */
function innerLayer(c: ConfigReader, key: string): KerasLayer {
  const where = c.context.where;
  const value = record(where, `${c.context.label}: ${key}`, c.get(key));
  const className = text(where, `${c.context.label}: ${key}.class_name`, field(value, 'class_name'));
  const config = record(where, `${c.context.label}: ${key}.config`, field(value, 'config'));
  const name = field(config, 'name');
  return { className, name: typeof name === 'string' && name !== '' ? name : className.toLowerCase(), config, buildInputShape: undefined };
}

function bidirectionalSpec(c: ConfigReader, common: { name: string; inputShape?: InputShape }): LayerSpec {
  const mergeMode = c.get('merge_mode');
  if (mergeMode === null) c.unsupported('merge_mode', 'null (two outputs)', "'concat', 'sum', 'mul', 'ave'");
  const merge = c.oneOf('merge_mode', ['concat', 'sum', 'mul', 'ave'] as const, 'concat');
  const inner = innerLayer(c, 'layer');
  if (inner.className !== 'SimpleRNN' && inner.className !== 'LSTM' && inner.className !== 'GRU') {
    c.unsupported('layer', inner.className, 'SimpleRNN, LSTM, GRU');
  }
  const innerContext = { ...c.context, label: `${c.context.label} (its ${inner.className})` };
  const innerReader = new ConfigReader(inner.config, innerContext);
  checkDtype(innerReader);
  const forward = recurrentArgs(inner.className, innerReader);
  if (forward.goBackwards) c.unsupported('layer.go_backwards', 'true', 'false (the wrapper runs the backward direction itself)');
  // Keras' Bidirectional forces zero_output_for_mask = return_sequences on both directions, whatever the saved value.
  if (c.context.flavor !== 'tfjs') forward.zeroOutputForMask = forward.returnSequences;
  checkBackwardLayer(c, inner.className, forward);
  const { goBackwards: _, ...args } = forward;
  const factory = inner.className === 'SimpleRNN' ? layers.simpleRNN : inner.className === 'LSTM' ? layers.lstm : layers.gru;
  return layers.bidirectional({ ...common, mergeMode: merge, layer: factory({ name: inner.name, ...args }) });
}

/** Keras 3 writes the backward layer out; it must be the mirror of the forward one. */
function checkBackwardLayer(c: ConfigReader, className: string, forward: Record<string, unknown>): void {
  if (c.get('backward_layer') === undefined || c.get('backward_layer') === null) return;
  const inner = innerLayer(c, 'backward_layer');
  const backward = inner.className === className ? recurrentArgs(inner.className as RecurrentClassName, new ConfigReader(inner.config, { ...c.context, label: `${c.context.label} (its backward layer)` })) : null;
  const same = backward !== null && Object.keys(forward).every((key) => key === 'goBackwards' || key === 'zeroOutputForMask' || (backward as Record<string, unknown>)[key] === forward[key]);
  if (!same) c.unsupported('backward_layer', 'that differs from the forward layer', 'a backward layer with the forward layer\'s class and options');
}

function denseArgs(c: ConfigReader) {
  c.expect('lora_rank', 0, 'null (no LoRA)');
  return { units: c.integer('units'), activation: c.oneOf('activation', DENSE_ACTIVATIONS, 'linear'), useBias: c.bool('use_bias', true) };
}

function embeddingSpec(c: ConfigReader, name: string, context: LayerContext): LayerSpec {
  c.expect('lora_rank', 0, 'null (no LoRA)');
  const length = c.get('input_length');
  const shape = context.inputShape;
  const steps = shape !== undefined && shape.length === 1 ? shape[0] : typeof length === 'number' ? length : undefined;
  return layers.embedding({
    name,
    inputDim: c.integer('input_dim'),
    outputDim: c.integer('output_dim'),
    maskZero: c.bool('mask_zero', false),
    ...(typeof steps === 'number' ? { inputLength: steps } : {}),
  });
}
