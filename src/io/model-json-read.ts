import type { Tokenizer } from '../data/tokenizer.js';
import { WasmRnnError, describe } from '../errors.js';
import type { CompileOptions, Compiled } from '../model/compile.js';
import type { LayerSpec } from '../model/layer-specs.js';
import { decoderSpecs, encoderSpecs, readSeq2SeqConfig, type Seq2SeqConfig } from '../model/seq2seq-config.js';
import { planStack, type StackPlan } from '../model/stack.js';
import type { AttachedScaler } from '../model/sequential.js';
import type { OptimizerState } from '../train/optimizers.js';
import { decodeFloat32, decodedLength } from './base64.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './model-json.js';
import { ModelFileError } from './model-file-error.js';
import { parseStrictJsonRecords } from './strict-json.js';

/*
 * Reads a saved model document and checks ALL of it before any model is built or any arena memory
 * is taken: the format and version, every key, the architecture (by planning it), each tensor's
 * name and shape against the architecture, each tensor's byte length against its declared shape,
 * finite values, the compile block, tokenizer, scaler and optimizer state. Any problem is a
 * ModelFileError naming where it is. Objects are copied into null-prototype records and
 * `__proto__` keys are refused, so a hostile file cannot reach any prototype.
 */

/**
 * How a tokenizer and a scaler are rebuilt from their JSON (the data tools' fromJSON) and how the
 * compile block is checked; null leaves all three out, and the optimizer state with them (the
 * inference entry, which ships neither the data tools nor the training code).
 */
export interface DataReaders {
  tokenizer(json: unknown): Tokenizer;
  scaler(json: unknown): AttachedScaler;
  /** readCompileOptions: the compile block is checked by building it (training code, full entry only). */
  compile(where: string, options: CompileOptions, plan: StackPlan): Compiled;
}

/** A checked model document, weights decoded. */
export interface Manifest {
  readonly kind: 'sequential' | 'seq2seq';
  readonly seed: number;
  /** Sequential models. */
  readonly sequential: { readonly name: string; readonly specs: LayerSpec[] } | null;
  /** Encoder–decoders. */
  readonly seq2seq: Seq2SeqConfig | null;
  readonly compile: CompileOptions | null;
  /** Parameter values by state-dict name. */
  readonly weights: Record<string, Float32Array>;
  readonly tokenizer: Tokenizer | null;
  readonly scaler: AttachedScaler | null;
  readonly epochs: number;
  readonly lastLogs: Record<string, number> | null;
  /** Optimizer state by part ('model', 'encoder', 'decoder'). */
  readonly optimizerState: Record<string, OptimizerState> | null;
}

type Json = null | boolean | number | string | Json[] | JsonRecord;
interface JsonRecord {
  [key: string]: Json;
}

const TOP_KEYS = ['format', 'formatVersion', 'kind', 'architecture', 'compile', 'tokenizer', 'scaler', 'training', 'weights', 'optimizerState'];
/** Deeper than any model document; bounds the walk over hostile input. */
const MAX_DEPTH = 64;

export function readManifest(where: string, source: unknown, data: DataReaders | null): Manifest {
  const doc = record(where, 'the document', plainCopy(where, typeof source === 'string' ? parseText(where, source) : source, 'the document', 0));
  if (doc.format !== MODEL_FORMAT) fail(where, `not a wasm-rnn model: format is ${describe(doc.format)}, expected '${MODEL_FORMAT}'`);
  const version = doc.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail(where, `formatVersion must be a positive integer, got ${describe(version)}`);
  if (version > MODEL_FORMAT_VERSION) fail(where, `the file has format version ${version}, written by a newer wasm-rnn; this version reads up to ${MODEL_FORMAT_VERSION}`);
  keys(where, 'the document', doc, TOP_KEYS, TOP_KEYS);
  const kind = doc.kind;
  if (kind !== 'sequential' && kind !== 'seq2seq') fail(where, `kind must be 'sequential' or 'seq2seq', got ${describe(kind)}`);
  const architecture = record(where, 'architecture', doc.architecture);
  const structure = kind === 'sequential' ? sequentialStructure(where, architecture) : seq2seqStructure(where, architecture);
  const weights = readWeights(where, doc.weights, structure.parts);
  const compile = doc.compile === null || data === null ? null : guarded(where, '', () => data.compile('compile', record(where, 'compile', doc.compile) as never, structure.parts.at(-1)!.plan));
  if (kind === 'seq2seq' && compile !== null && compile.loss !== 'sparseCategoricalCrossentropy') {
    fail(where, `compile.loss of an encoder–decoder must be 'sparseCategoricalCrossentropy', got ${describe(compile.loss)}`);
  }
  if (kind === 'seq2seq' && (doc.tokenizer !== null || doc.scaler !== null)) fail(where, 'an encoder–decoder carries no tokenizer or scaler; both must be null');
  const training = record(where, 'training', doc.training);
  keys(where, 'training', training, ['epochs', 'lastLogs'], ['epochs', 'lastLogs']);
  return {
    kind, seed: structure.seed, sequential: structure.sequential, seq2seq: structure.seq2seq,
    compile: compile === null ? null : compileOptions(doc.compile as JsonRecord),
    weights,
    tokenizer: doc.tokenizer === null || data === null ? null : guarded(where, 'tokenizer', () => data.tokenizer(doc.tokenizer)),
    scaler: doc.scaler === null || data === null ? null : guarded(where, 'scaler', () => data.scaler(doc.scaler)),
    epochs: count(where, 'training.epochs', training.epochs),
    lastLogs: training.lastLogs === null ? null : readLogs(where, training.lastLogs),
    optimizerState: doc.optimizerState === null || data === null ? null : readOptimizerState(where, doc.optimizerState, structure.parts, compile?.optimizer ?? null),
  };
}

function fail(where: string, problem: string, cause?: unknown): never {
  throw new ModelFileError(`${where}: ${problem}`, cause === undefined ? undefined : { cause });
}

/** Strict parsing: duplicate keys, which JSON.parse resolves silently to the last one, are refused. */
function parseText(where: string, text: string): Json {
  return parseStrictJsonRecords(text, where, 'the document');
}

/** A deep copy into null-prototype records and plain arrays; refuses `__proto__`, non-JSON values and cycles. */
function plainCopy(where: string, value: unknown, path: string, depth: number): Json {
  if (depth > MAX_DEPTH) fail(where, `${path} is nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : fail(where, `${path} is ${value}, which JSON cannot hold`);
  if (Array.isArray(value)) return value.map((item, i) => plainCopy(where, item, `${path}[${i}]`, depth + 1));
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out = Object.create(null) as JsonRecord;
    for (const key of Object.keys(value)) {
      if (key === '__proto__') fail(where, `${path} holds a '__proto__' key, which is refused`);
      out[key] = plainCopy(where, (value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    }
    return out;
  }
  return fail(where, `${path} must be JSON data, got ${describe(value)}`);
}

function record(where: string, path: string, value: unknown): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, `${path} must be an object, got ${describe(value)}`);
  return value as JsonRecord;
}

/** Every required key present, no key outside `allowed`. */
function keys(where: string, path: string, value: JsonRecord, required: readonly string[], allowed: readonly string[]): void {
  for (const key of required) if (!(key in value)) fail(where, `${path} is missing '${key}'`);
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(where, `${path} has an unknown key '${key}'`);
}

function count(where: string, path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(where, `${path} must be an integer ≥ 0, got ${describe(value)}`);
  return value;
}

/**
 * Runs a reader of the library's own (a layer factory, a tokenizer's fromJSON); its error becomes
 * a ModelFileError, its message prefixed with `path` when the reader does not name the part.
 */
function guarded<T>(where: string, path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ModelFileError || !(error instanceof WasmRnnError)) throw error;
    return fail(where, path === '' ? error.message : `${path}: ${error.message}`, error);
  }
}

interface Part {
  name: string;
  prefix: string;
  plan: StackPlan;
}

interface Structure {
  seed: number;
  sequential: Manifest['sequential'];
  seq2seq: Seq2SeqConfig | null;
  parts: Part[];
}

function seed(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(where, `architecture.seed must be an integer, got ${describe(value)}`);
  return value;
}

function sequentialStructure(where: string, architecture: JsonRecord): Structure {
  keys(where, 'architecture', architecture, ['name', 'seed', 'layers'], ['name', 'seed', 'layers']);
  const name = architecture.name;
  if (typeof name !== 'string' || name === '') fail(where, `architecture.name must be a non-empty string, got ${describe(name)}`);
  const plan = guarded(where, '', () => planStack('architecture', architecture.layers));
  return {
    seed: seed(where, architecture.seed), sequential: { name, specs: plan.layers.map((layer) => layer.spec) }, seq2seq: null,
    parts: [{ name: 'model', prefix: '', plan }],
  };
}

function seq2seqStructure(where: string, architecture: JsonRecord): Structure {
  keys(where, 'architecture', architecture, ['seed', 'config'], ['seed', 'config']);
  const config = guarded(where, '', () => readSeq2SeqConfig('architecture.config', seq2seqOptions(record(where, 'architecture.config', architecture.config))));
  return {
    seed: seed(where, architecture.seed), sequential: null, seq2seq: config,
    parts: [
      { name: 'encoder', prefix: 'encoder.', plan: planStack('encoder', encoderSpecs(config)) },
      { name: 'decoder', prefix: 'decoder.', plan: planStack('decoder', decoderSpecs(config)) },
    ],
  };
}

/** A saved Seq2SeqConfig as seq2seq options (null fields were left out). */
function seq2seqOptions(config: JsonRecord): unknown {
  const encoder = config.encoder;
  if (typeof encoder !== 'object' || encoder === null || Array.isArray(encoder)) return config;
  const present = Object.fromEntries(Object.entries(encoder).filter(([, value]) => value !== null));
  return { ...config, encoder: present };
}

/** The weights, checked against the architecture's parameter tables, then decoded. */
function readWeights(where: string, value: unknown, parts: readonly Part[]): Record<string, Float32Array> {
  const weights = record(where, 'weights', value);
  keys(where, 'weights', weights, ['dtype', 'byteOrder', 'encoding', 'tensors'], ['dtype', 'byteOrder', 'encoding', 'tensors']);
  if (weights.dtype !== 'float32') fail(where, `weights.dtype must be 'float32', got ${describe(weights.dtype)}`);
  if (weights.byteOrder !== 'little') fail(where, `weights.byteOrder must be 'little', got ${describe(weights.byteOrder)}`);
  if (weights.encoding !== 'base64') fail(where, `weights.encoding must be 'base64', got ${describe(weights.encoding)}`);
  const expected = new Map(parts.flatMap(({ prefix, plan }) => plan.layers.flatMap((layer) => layer.parameters.map((p) => [prefix + layer.prefix + p.name, p.shape] as const))));
  const tensors = weights.tensors;
  if (!Array.isArray(tensors)) fail(where, `weights.tensors must be an array, got ${describe(tensors)}`);
  const checked = tensors.map((entry, i) => {
    const tensor = record(where, `weights.tensors[${i}]`, entry);
    keys(where, `weights.tensors[${i}]`, tensor, ['name', 'shape', 'data'], ['name', 'shape', 'data']);
    const { name, shape, data } = tensor;
    if (typeof name !== 'string') fail(where, `weights.tensors[${i}].name must be a string, got ${describe(name)}`);
    const label = `tensor '${name}'`;
    const wanted = expected.get(name);
    if (wanted === undefined) fail(where, `${label} is not a parameter of the architecture (it has ${[...expected.keys()].join(', ')})`);
    expected.delete(name);
    if (!Array.isArray(shape) || shape.length !== wanted.length || shape.some((d, j) => d !== wanted[j])) {
      fail(where, `${label} has shape ${describe(shape)}, but the architecture gives it [${wanted.join(', ')}]`);
    }
    if (typeof data !== 'string') fail(where, `${label}: data must be a base64 string, got ${describe(data)}`);
    const bytes = decodedLength(data);
    const size = wanted.reduce((a, b) => a * b, 1);
    if (typeof bytes === 'string') fail(where, `${label}: data is not base64: ${bytes}`);
    if (bytes !== size * 4) fail(where, `${label} declares shape [${wanted.join(', ')}] (${size * 4} bytes of float32), but its data holds ${bytes} bytes`);
    return { name, data, label };
  });
  const missing = [...expected.keys()];
  if (missing.length > 0) fail(where, `weights are missing ${missing.map((n) => `'${n}'`).join(', ')}`);
  const out = Object.create(null) as Record<string, Float32Array>;
  for (const { name, data, label } of checked) out[name] = decodeFinite(where, label, data);
  return out;
}

function decodeFinite(where: string, label: string, data: string): Float32Array {
  const values = decodeFloat32(data);
  if (typeof values === 'string') fail(where, `${label}: data is not base64: ${values}`);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(where, `${label} element ${bad} is ${values[bad]}; weights must be finite`);
  return values;
}

/** The compile block as compile options (already checked by readCompileOptions). */
function compileOptions(json: JsonRecord): CompileOptions {
  return { ...json } as unknown as CompileOptions;
}

function readLogs(where: string, value: Json): Record<string, number> {
  const logs = record(where, 'training.lastLogs', value);
  for (const [key, v] of Object.entries(logs)) if (typeof v !== 'number') fail(where, `training.lastLogs.${key} must be a number, got ${describe(v)}`);
  return { ...(logs as Record<string, number>) };
}

/**
 * Each part's moments must fit its parameter region: the sum of its parameters' sizes, each
 * rounded up to 4 elements (ParameterSet's 16-byte alignment).
 */
function readOptimizerState(
  where: string, value: unknown, parts: readonly Part[], optimizer: { name: string; stateBufferCount: number } | null,
): Record<string, OptimizerState> {
  if (optimizer === null) fail(where, 'optimizerState is given, but compile is null (no optimizer to restore it into)');
  const state = record(where, 'optimizerState', value);
  const names = parts.map((p) => p.name);
  keys(where, 'optimizerState', state, names, names);
  const out = Object.create(null) as Record<string, OptimizerState>;
  for (const { name, plan } of parts) {
    const path = `optimizerState.${name}`;
    const entry = record(where, path, state[name]);
    keys(where, path, entry, ['name', 'iterations', 'epoch', 'moments'], ['name', 'iterations', 'epoch', 'moments']);
    if (entry.name !== optimizer.name) fail(where, `${path}.name is ${describe(entry.name)}, but compile uses '${optimizer.name}'`);
    const moments = entry.moments;
    if (!Array.isArray(moments) || moments.length !== optimizer.stateBufferCount) {
      fail(where, `${path}.moments must hold ${optimizer.stateBufferCount} buffer(s) for ${optimizer.name}, got ${describe(moments)}`);
    }
    const length = plan.layers.reduce((sum, layer) => sum + layer.parameters.reduce((s, p) => s + Math.ceil(p.shape.reduce((a, b) => a * b, 1) / 4) * 4, 0), 0);
    out[name] = {
      iterations: count(where, `${path}.iterations`, entry.iterations),
      epoch: count(where, `${path}.epoch`, entry.epoch),
      moments: moments.map((data, i) => {
        const label = `${path}.moments[${i}]`;
        if (typeof data !== 'string') fail(where, `${label} must be a base64 string, got ${describe(data)}`);
        const bytes = decodedLength(data);
        if (bytes !== length * 4) fail(where, `${label} must hold ${length * 4} bytes (the parameter region), got ${typeof bytes === 'string' ? `malformed base64: ${bytes}` : `${bytes} bytes`}`);
        return decodeFinite(where, label, data);
      }),
    };
  }
  return out;
}
