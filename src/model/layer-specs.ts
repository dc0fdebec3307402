import { OptionError, ValueError, bool, checkOptionNames, describe, oneOf, shapeWithinLimit, sizeOption } from '../errors.js';
import { ACTIVATION_NAMES, type ActivationName } from '../layers/activations.js';
import { GATE_ACTIVATIONS, type GateActivation } from '../layers/cell.js';

/*
 * The `layers.*` factories, named as tfjs-layers names them. A spec is plain, JSON-serialisable
 * data ({ className, config } as in Keras' model JSON) with every default filled in; `sequential`
 * checks that the specs fit together and builds the layers.
 */

/** [timeSteps | null, features] for sequences, [features] for vectors; Embedding: [timeSteps | null]. */
export type InputShape = readonly (number | null)[];

interface Common {
  /** Layer name in summaries and errors. Default: the class in snake case, numbered (lstm, lstm_1, …). */
  name?: string;
  /** Shape of one sample, required on the first layer (batch axis excluded). */
  inputShape?: InputShape;
}

export interface RecurrentLayerArgs extends Common {
  units: number;
  /** SimpleRNN: 'tanh' (default) or 'relu'. LSTM and GRU: 'tanh' only. */
  activation?: 'tanh' | 'relu';
  /** LSTM/GRU gates: 'sigmoid' (default, Keras 3 and PyTorch), 'hardSigmoid' (tfjs, Keras 2) or 'hardSigmoidKeras3'. */
  recurrentActivation?: GateActivation;
  /** Output every step [B, T, units] (true) or the last step's [B, units] (false, default). */
  returnSequences?: boolean;
  /** Also return the final states. Not available in a Sequential model (it passes one tensor on). */
  returnState?: boolean;
  /** Default true. */
  useBias?: boolean;
  /** LSTM: forget-gate bias starts at 1 (Keras' unit_forget_bias). Default true. */
  unitForgetBias?: boolean;
  /** GRU: true (default; Keras 3, PyTorch) or false (original GRU, tfjs). */
  resetAfter?: boolean;
  /** Fraction of input units dropped in training, the same units at every step (Keras). Default 0. */
  dropout?: number;
  /**
   * Read the sequence (and its mask) reversed in time, as Keras' go_backwards: per-step outputs
   * stay in reversed order. Default false.
   */
  goBackwards?: boolean;
  /**
   * With returnSequences: zeros as the output of masked steps instead of the carried state (Keras'
   * zero_output_for_mask, which Keras' Bidirectional forces on when returning sequences). Default false.
   */
  zeroOutputForMask?: boolean;
}

export interface RecurrentConfig {
  name?: string;
  inputShape?: InputShape;
  units: number;
  activation: 'tanh' | 'relu';
  /** LSTM and GRU only. */
  recurrentActivation?: GateActivation;
  returnSequences: boolean;
  returnState: boolean;
  useBias: boolean;
  /** LSTM only. */
  unitForgetBias?: boolean;
  /** GRU only. */
  resetAfter?: boolean;
  dropout: number;
  /** Present (true) only when set, so configs saved before they existed stay unchanged. */
  goBackwards?: true;
  zeroOutputForMask?: true;
}

export interface DenseLayerArgs extends Common {
  units: number;
  /** Default 'linear'. */
  activation?: ActivationName;
  useBias?: boolean;
}

export interface DenseConfig {
  name?: string;
  inputShape?: InputShape;
  units: number;
  activation: ActivationName;
  useBias: boolean;
}

export interface EmbeddingLayerArgs extends Common {
  /** Number of ids (vocabulary size): ids are integers in [0, inputDim). */
  inputDim: number;
  outputDim: number;
  /** Fixed sequence length (same as inputShape: [inputLength]). */
  inputLength?: number;
  /** Id 0 is padding: its steps are masked (state kept, no loss, no gradient). Default false. */
  maskZero?: boolean;
}

export interface EmbeddingConfig {
  name?: string;
  inputShape?: InputShape;
  inputDim: number;
  outputDim: number;
  maskZero: boolean;
}

export interface DropoutLayerArgs extends Common {
  /** Fraction of inputs dropped in training, in [0, 1). */
  rate: number;
}

export interface DropoutConfig {
  name?: string;
  inputShape?: InputShape;
  rate: number;
}

/** How a bidirectional layer joins its two directions (Keras' merge_mode). */
export const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;
export type MergeMode = (typeof MERGE_MODES)[number];

export interface BidirectionalLayerArgs extends Common {
  /** The recurrent layer to run in both directions (its returnSequences applies to both). */
  layer: RecurrentSpec;
  /**
   * 'concat' (default): forward and backward outputs side by side (2·units features); 'sum',
   * 'mul', 'ave': elementwise sum, product or mean (units features).
   */
  mergeMode?: MergeMode;
}

export interface BidirectionalConfig {
  name?: string;
  inputShape?: InputShape;
  layer: RecurrentSpec;
  mergeMode: MergeMode;
}

export interface MaskingLayerArgs extends Common {
  /** A step whose features all equal it is masked. Default 0. */
  maskValue?: number;
}

export interface MaskingConfig {
  name?: string;
  inputShape?: InputShape;
  maskValue: number;
}

export interface TimeDistributedLayerArgs extends Common {
  /** The layer applied to every step: a dense layer. */
  layer: DenseSpec;
}

export type RecurrentClassName = 'SimpleRNN' | 'LSTM' | 'GRU';
export interface RecurrentSpec {
  readonly className: RecurrentClassName;
  readonly config: Readonly<RecurrentConfig>;
}
export interface DenseSpec {
  readonly className: 'Dense';
  readonly config: Readonly<DenseConfig>;
}
export interface EmbeddingSpec {
  readonly className: 'Embedding';
  readonly config: Readonly<EmbeddingConfig>;
}
export interface DropoutSpec {
  readonly className: 'Dropout';
  readonly config: Readonly<DropoutConfig>;
}
export interface BidirectionalSpec {
  readonly className: 'Bidirectional';
  readonly config: Readonly<BidirectionalConfig>;
}
export interface MaskingSpec {
  readonly className: 'Masking';
  readonly config: Readonly<MaskingConfig>;
}
export type LayerSpec = RecurrentSpec | DenseSpec | EmbeddingSpec | DropoutSpec | BidirectionalSpec | MaskingSpec;
export type LayerClassName = LayerSpec['className'];

const COMMON = ['name', 'inputShape'] as const;
const RECURRENT_ARGS = [...COMMON, 'units', 'activation', 'returnSequences', 'returnState', 'useBias', 'dropout', 'goBackwards', 'zeroOutputForMask'];
const OWN_ARGS: Record<RecurrentClassName, string[]> = {
  SimpleRNN: [],
  LSTM: ['recurrentActivation', 'unitForgetBias'],
  GRU: ['recurrentActivation', 'resetAfter'],
};

/** Keras options this library does not implement, with the reason, so they fail clearly. */
const UNSUPPORTED: Record<string, string> = {
  recurrentDropout: 'recurrent dropout is not implemented; use dropout (on the inputs) or a dropout layer between layers',
  stateful: 'stateful layers are not part of sequential models here; use the streaming API',
  kernelInitializer: 'initialisers are fixed (Keras defaults: glorotUniform, orthogonal, zeros); load weights to start elsewhere',
  recurrentInitializer: 'initialisers are fixed (Keras defaults: glorotUniform, orthogonal, zeros); load weights to start elsewhere',
  biasInitializer: 'initialisers are fixed (Keras defaults: glorotUniform, orthogonal, zeros); load weights to start elsewhere',
};

function readArgs(where: string, args: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new OptionError(`${where}: expected an options object, got ${describe(args)}`);
  for (const key of Object.keys(args)) {
    const reason = UNSUPPORTED[key];
    if (reason !== undefined && !allowed.includes(key)) throw new OptionError(`${where}: option '${key}' is not supported: ${reason}`);
  }
  checkOptionNames(where, args, allowed);
  return args as Record<string, unknown>;
}

function common(where: string, args: Record<string, unknown>): { name?: string; inputShape?: InputShape } {
  const out: { name?: string; inputShape?: InputShape } = {};
  if (args.name !== undefined) {
    if (typeof args.name !== 'string' || args.name === '') throw new OptionError(`${where}: name must be a non-empty string, got ${describe(args.name)}`);
    out.name = args.name;
  }
  if (args.inputShape !== undefined) out.inputShape = inputShape(where, args.inputShape);
  return out;
}

function inputShape(where: string, value: unknown): InputShape {
  const ok = Array.isArray(value) && value.length >= 1 && value.length <= 2 &&
    value.every((d, i) => (d === null && i === 0 && value.length === 2) || (typeof d === 'number' && Number.isInteger(d) && d >= 1));
  if (!ok) {
    throw new ValueError(`${where}: inputShape must be [timeSteps, features] (timeSteps may be null for any length) or [features], with positive integers, got ${describe(value)}`);
  }
  shapeWithinLimit(where, 'inputShape', value as (number | null)[]);
  return Object.freeze([...(value as (number | null)[])]);
}

/** `[null, 8]` as text (Array.join would print null as nothing). */
export function shapeList(shape: InputShape): string {
  return `[${shape.map((d) => d ?? 'null').join(', ')}]`;
}

function rate(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new ValueError(`${where}: ${name} must be a number in [0, 1), got ${describe(value)}`);
  return value;
}

function recurrent(className: RecurrentClassName, factory: string) {
  return (args: RecurrentLayerArgs): RecurrentSpec => {
    const where = `layers.${factory}`;
    const a = readArgs(where, args, [...RECURRENT_ARGS, ...OWN_ARGS[className]]);
    if (a.units === undefined) throw new OptionError(`${where}: units is required`);
    const activations = className === 'SimpleRNN' ? (['tanh', 'relu'] as const) : (['tanh'] as const);
    const config: RecurrentConfig = {
      ...common(where, a),
      units: sizeOption(where, 'units', a.units),
      activation: oneOf(where, 'activation', a.activation ?? 'tanh', activations),
      returnSequences: bool(where, 'returnSequences', a.returnSequences ?? false),
      returnState: bool(where, 'returnState', a.returnState ?? false),
      useBias: bool(where, 'useBias', a.useBias ?? true),
      dropout: rate(where, 'dropout', a.dropout ?? 0),
    };
    if (bool(where, 'goBackwards', a.goBackwards ?? false)) config.goBackwards = true;
    if (bool(where, 'zeroOutputForMask', a.zeroOutputForMask ?? false)) config.zeroOutputForMask = true;
    if (className !== 'SimpleRNN') config.recurrentActivation = oneOf(where, 'recurrentActivation', a.recurrentActivation ?? 'sigmoid', GATE_ACTIVATIONS);
    if (className === 'GRU') config.resetAfter = bool(where, 'resetAfter', a.resetAfter ?? true);
    if (className === 'LSTM') {
      const unitForgetBias = bool(where, 'unitForgetBias', a.unitForgetBias ?? config.useBias);
      if (unitForgetBias && !config.useBias) throw new OptionError(`${where}: unitForgetBias needs useBias: true`);
      config.unitForgetBias = unitForgetBias;
    }
    return Object.freeze({ className, config: Object.freeze(config) });
  };
}

function dense(args: DenseLayerArgs): DenseSpec {
  const where = 'layers.dense';
  const a = readArgs(where, args, [...COMMON, 'units', 'activation', 'useBias']);
  if (a.units === undefined) throw new OptionError(`${where}: units is required`);
  const config: DenseConfig = {
    ...common(where, a),
    units: sizeOption(where, 'units', a.units),
    activation: oneOf(where, 'activation', a.activation ?? 'linear', ACTIVATION_NAMES),
    useBias: bool(where, 'useBias', a.useBias ?? true),
  };
  return Object.freeze({ className: 'Dense', config: Object.freeze(config) });
}

function embedding(args: EmbeddingLayerArgs): EmbeddingSpec {
  const where = 'layers.embedding';
  const a = readArgs(where, args, [...COMMON, 'inputDim', 'outputDim', 'inputLength', 'maskZero']);
  for (const key of ['inputDim', 'outputDim']) if (a[key] === undefined) throw new OptionError(`${where}: ${key} is required`);
  const base = common(where, a);
  if (a.inputLength !== undefined) {
    const length = sizeOption(where, 'inputLength', a.inputLength);
    if (base.inputShape !== undefined && base.inputShape[0] !== length) {
      throw new OptionError(`${where}: inputLength ${length} contradicts inputShape ${shapeList(base.inputShape)}`);
    }
    base.inputShape = Object.freeze([length]);
  }
  if (base.inputShape !== undefined && base.inputShape.length !== 1) {
    throw new ValueError(`${where}: inputShape of an embedding is [timeSteps] (ids, no feature axis), got ${shapeList(base.inputShape)}`);
  }
  const config: EmbeddingConfig = {
    ...base,
    inputDim: sizeOption(where, 'inputDim', a.inputDim),
    outputDim: sizeOption(where, 'outputDim', a.outputDim),
    maskZero: bool(where, 'maskZero', a.maskZero ?? false),
  };
  if (config.maskZero && config.inputDim < 2) throw new ValueError(`${where}: maskZero reserves id 0 for padding, so inputDim must be ≥ 2, got ${config.inputDim}`);
  return Object.freeze({ className: 'Embedding', config: Object.freeze(config) });
}

function dropout(args: DropoutLayerArgs): DropoutSpec {
  const where = 'layers.dropout';
  const a = readArgs(where, args, [...COMMON, 'rate']);
  if (a.rate === undefined) throw new OptionError(`${where}: rate is required`);
  return Object.freeze({ className: 'Dropout', config: Object.freeze({ ...common(where, a), rate: rate(where, 'rate', a.rate) }) });
}

function bidirectional(args: BidirectionalLayerArgs): BidirectionalSpec {
  const where = 'layers.bidirectional';
  const a = readArgs(where, args, [...COMMON, 'layer', 'mergeMode']);
  if (!isRecurrentSpec(a.layer)) {
    throw new OptionError(`${where}: layer must be a recurrent layer spec (layers.simpleRNN, layers.lstm or layers.gru), got ${describe(a.layer)}`);
  }
  if (a.layer.config.goBackwards === true) {
    throw new OptionError(`${where}: the wrapped layer has goBackwards: true; a bidirectional layer already runs one direction backwards, so give it a layer with goBackwards: false`);
  }
  const config: BidirectionalConfig = {
    ...common(where, a),
    layer: a.layer,
    // null (Keras' merge_mode=None: the two outputs as a list) is not a default: oneOf rejects it.
    mergeMode: oneOf(where, 'mergeMode', a.mergeMode === undefined ? 'concat' : a.mergeMode, MERGE_MODES),
  };
  return Object.freeze({ className: 'Bidirectional', config: Object.freeze(config) });
}

function masking(args: MaskingLayerArgs): MaskingSpec {
  const where = 'layers.masking';
  const a = readArgs(where, args, [...COMMON, 'maskValue']);
  const maskValue = a.maskValue ?? 0;
  if (typeof maskValue !== 'number' || !Number.isFinite(maskValue)) throw new ValueError(`${where}: maskValue must be a finite number, got ${describe(maskValue)}`);
  return Object.freeze({ className: 'Masking', config: Object.freeze({ ...common(where, a), maskValue }) });
}

/**
 * Keras' TimeDistributed(Dense): a dense layer already runs on every step of a sequence, so this
 * returns the wrapped dense spec itself (with the wrapper's name and inputShape, when given).
 */
function timeDistributed(args: TimeDistributedLayerArgs): DenseSpec {
  const where = 'layers.timeDistributed';
  const a = readArgs(where, args, [...COMMON, 'layer']);
  const inner = a.layer as { className?: unknown; config?: unknown } | undefined;
  if (typeof inner !== 'object' || inner === null || inner.className !== 'Dense') {
    throw new OptionError(`${where}: layer must be a dense layer spec (layers.dense({ units })), the only layer it wraps, got ${describe(a.layer)}`);
  }
  const own = common(where, a);
  if (own.inputShape !== undefined && own.inputShape.length !== 2) {
    throw new ValueError(`${where}: inputShape must be [timeSteps | null, features]: it applies its layer to every step of a sequence, got ${shapeList(own.inputShape)}`);
  }
  return dense({ ...(inner.config as DenseLayerArgs), ...own });
}

export function isRecurrentSpec(value: unknown): value is RecurrentSpec {
  const className = (value as { className?: unknown } | null)?.className;
  return typeof value === 'object' && value !== null && (className === 'SimpleRNN' || className === 'LSTM' || className === 'GRU');
}

/** Layer factories: `layers.lstm({ units: 32, inputShape: [null, 8] })`, as tfjs-layers. */
export const layers = {
  simpleRNN: recurrent('SimpleRNN', 'simpleRNN'),
  lstm: recurrent('LSTM', 'lstm'),
  gru: recurrent('GRU', 'gru'),
  bidirectional,
  dense,
  embedding,
  dropout,
  masking,
  timeDistributed,
};

/**
 * Re-creates a spec from its `{ className, config }` data (made by `layers.*`, or parsed JSON),
 * re-running the factory's checks.
 */
export function layerFromSpec(where: string, value: unknown): LayerSpec {
  if (typeof value !== 'object' || value === null) throw new ValueError(`${where}: expected a layer (e.g. layers.lstm({ units: 8 })), got ${describe(value)}`);
  const { className, config } = value as { className?: unknown; config?: unknown };
  // Own keys only: 'constructor' or '__proto__' must not reach Object's members.
  const make = typeof className === 'string' && Object.hasOwn(FACTORIES, className) ? FACTORIES[className as LayerClassName] : undefined;
  if (make === undefined || typeof config !== 'object' || config === null) {
    const named = className === undefined ? '' : ` with className ${describe(className)} (known: ${Object.keys(FACTORIES).join(', ')})`;
    throw new ValueError(`${where}: expected a layer made by layers.* ({ className, config }), got ${describe(value)}${named}`);
  }
  const plain = { ...(config as Record<string, unknown>) };
  if (className === 'Bidirectional') plain.layer = layerFromSpec(`${where} (its layer)`, plain.layer);
  return make(plain as never);
}

const FACTORIES: Record<LayerClassName, (args: never) => LayerSpec> = {
  SimpleRNN: layers.simpleRNN, LSTM: layers.lstm, GRU: layers.gru,
  Bidirectional: bidirectional, Dense: dense, Embedding: embedding, Dropout: dropout,
  Masking: masking,
};
