import type { TokenizerJSON } from '../data/tokenizer.js';
import { OptionError, checkOptionNames, describe } from '../errors.js';
import type { Compiled, OptimizerConfig } from '../model/compile.js';
import type { LayerSpec } from '../model/layer-specs.js';
import type { SavedModel } from '../model/model-core.js';
import type { Seq2SeqConfig } from '../model/seq2seq-config.js';
import type { SequentialCore } from '../model/sequential-core.js';
import type { LossName } from '../train/losses.js';
import type { Optimizer } from '../train/optimizers.js';
import { encodeFloat32 } from './base64.js';

/*
 * The saved form of a model: ONE self-contained JSON document (works the same in Node and
 * browsers, fits localStorage, fetch and a file), holding a versioned manifest and the weights as
 * base64 of little-endian float32. Model files type-import from here; nothing here imports a model
 * at run time, so `model.toJSON()` adds no cycle.
 */

export const MODEL_FORMAT = 'wasm-rnn-model';
/** The version this library writes; it reads every version up to this one. */
export const MODEL_FORMAT_VERSION = 1;

export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  kind: 'sequential' | 'seq2seq';
  architecture: SequentialArchitecture | Seq2SeqArchitecture;
  /** compile's options (exactly what `compile` accepts), or null for an uncompiled model. */
  compile: CompileJSON | null;
  tokenizer: TokenizerJSON | null;
  scaler: unknown;
  training: TrainingJSON;
  weights: WeightsJSON;
  /** Optimizer state per part ('model', or 'encoder' and 'decoder'), with `includeOptimizer`; else null. */
  optimizerState: Record<string, OptimizerStateJSON> | null;
}

export interface SequentialArchitecture {
  name: string;
  seed: number;
  /** The layer specs, `{ className, config }` each, as `layers.*` made them. */
  layers: LayerSpec[];
}

export interface Seq2SeqArchitecture {
  seed: number;
  config: Seq2SeqConfig;
}

export interface CompileJSON {
  optimizer: OptimizerConfig;
  loss: LossName;
  metrics: string[];
  clipNorm?: number;
  clipValue?: number;
}

export interface TrainingJSON {
  /** Epochs completed by every fit (resume with `initialEpoch: epochs`). */
  epochs: number;
  /** The last epoch's logs. */
  lastLogs: Record<string, number> | null;
}

export interface WeightsJSON {
  dtype: 'float32';
  byteOrder: 'little';
  encoding: 'base64';
  /** Every parameter by state-dict name, in the model's order. */
  tensors: { name: string; shape: number[]; data: string }[];
}

export interface OptimizerStateJSON {
  name: string;
  iterations: number;
  epoch: number;
  /** Each moment buffer over the part's whole parameter region (alignment padding included). */
  moments: string[];
}

export interface SaveOptions {
  /** Also save the optimizer's moments and step count, to resume training exactly. Default false. */
  includeOptimizer?: boolean;
}

/** What a model is made of when saved: its parts' parameter sets and optimizers. */
interface Part {
  name: string;
  prefix: string;
  model: SequentialCore;
}

function partsOf(model: SavedModel): Part[] {
  if (model.kind === 'sequential') return [{ name: 'model', prefix: '', model }];
  return [{ name: 'encoder', prefix: 'encoder.', model: model.encoder }, { name: 'decoder', prefix: 'decoder.', model: model.decoder }];
}

/**
 * The JSON document of a model. `options` may be a key string when JSON.stringify calls
 * `model.toJSON(key)`; it is then ignored.
 */
export function modelToJSON(model: SavedModel, options: unknown): ModelJSON {
  const where = 'toJSON';
  const settings = typeof options === 'object' && options !== null ? (options as SaveOptions) : {};
  checkOptionNames(where, settings, ['includeOptimizer']);
  const includeOptimizer = settings.includeOptimizer ?? false;
  if (typeof includeOptimizer !== 'boolean') throw new OptionError(`${where}: includeOptimizer must be true or false, got ${describe(includeOptimizer)}`);
  const parts = partsOf(model);
  const compile = parts[parts.length - 1]!.model.compileJSON();
  if (includeOptimizer && compile === null) throw new OptionError(`${where}: includeOptimizer needs a compiled model (there is no optimizer yet)`);
  const architecture: ModelJSON['architecture'] = model.kind === 'sequential'
    ? { name: model.name, seed: model.seed, layers: model.plan.layers.map((layer) => layer.spec) }
    : { seed: model.seed, config: model.config };
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    kind: model.kind,
    architecture,
    compile,
    tokenizer: model.kind === 'sequential' ? (model.tokenizer?.toJSON() ?? null) : null,
    scaler: model.kind === 'sequential' ? (model.scaler?.toJSON() ?? null) : null,
    training: { epochs: model.epochsTrained, lastLogs: model.lastLogs === null ? null : { ...model.lastLogs } },
    weights: {
      dtype: 'float32', byteOrder: 'little', encoding: 'base64',
      tensors: parts.flatMap(({ prefix, model: part }) => part.parameterSet.names().map((name) => ({
        name: prefix + name, shape: [...part.parameterSet.entry(name).shape], data: encodeFloat32(part.parameterSet.value(name)),
      }))),
    },
    optimizerState: includeOptimizer ? Object.fromEntries(parts.map(({ name, model: part }) => [name, part.optimizerStateJSON()!])) : null,
  };
}

/** The compile block of a compiled model (its training subclass calls this). */
export function compileJSON(compiled: Compiled): CompileJSON {
  const json: CompileJSON = { optimizer: compiled.optimizer.toJSON() as OptimizerConfig, loss: compiled.loss, metrics: compiled.metrics.map((m) => m.key) };
  if (compiled.clipNorm > 0) json.clipNorm = compiled.clipNorm;
  if (compiled.clipValue > 0) json.clipValue = compiled.clipValue;
  return json;
}

/** An optimizer's moments and step count, as saved with includeOptimizer. */
export function optimizerStateJSON(optimizer: Optimizer): OptimizerStateJSON {
  const state = optimizer.getState();
  return { name: optimizer.name, iterations: state.iterations, epoch: state.epoch, moments: state.moments.map(encodeFloat32) };
}
