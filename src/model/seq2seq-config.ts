import { OptionError, checkOptionNames, describe, oneOf, positiveInteger } from '../errors.js';
import { layers, type LayerSpec } from './layer-specs.js';

/*
 * The options of `seq2seq` and the two layer stacks they describe. The encoder reads the source
 * (ids through an embedding, or feature vectors) into one recurrent layer whose final states
 * (h, and c for LSTM) are the decoder's initial states; the decoder reads the target shifted
 * right behind the start token (teacher forcing) and scores the next token at every step.
 */

export type Seq2SeqCell = 'lstm' | 'gru' | 'simpleRNN';

export interface Seq2SeqOptions {
  encoder: {
    /** Default 'lstm'. The decoder uses the same cell (its state must match the encoder's). */
    cell?: Seq2SeqCell;
    units: number;
    /** Sources are ids: an embedding of inputDim ids into outputDim values. */
    embedding?: { inputDim: number; outputDim: number };
    /** Sources are vectors of this many features per step (instead of an embedding). */
    inputFeatures?: number;
  };
  decoder: {
    /** Default: the encoder's units (they must be equal). */
    units?: number;
    /** Target ids are integers in [0, vocabSize), startToken and endToken included. */
    vocabSize: number;
    /** Embedding of the decoder's input ids. */
    embedding: { outputDim: number };
  };
  /** The decoder's first input. */
  startToken: number;
  /** The decoder's last target; decoding stops when it is produced. */
  endToken: number;
  /** Longest output `translate` produces when endToken does not come. */
  maxLength: number;
  /** Weight initialisation seed. Default: random. */
  seed?: number;
  name?: string;
}

/** The options with every default filled in: what a saved model stores. */
export interface Seq2SeqConfig {
  readonly name: string;
  readonly encoder: {
    readonly cell: Seq2SeqCell;
    readonly units: number;
    readonly embedding: { readonly inputDim: number; readonly outputDim: number } | null;
    readonly inputFeatures: number | null;
  };
  readonly decoder: { readonly units: number; readonly vocabSize: number; readonly embedding: { readonly outputDim: number } };
  readonly startToken: number;
  readonly endToken: number;
  readonly maxLength: number;
}

const CELLS = ['lstm', 'gru', 'simpleRNN'] as const;

export function readSeq2SeqConfig(where: string, options: unknown): Seq2SeqConfig {
  const o = object(where, 'options', options, ['encoder', 'decoder', 'startToken', 'endToken', 'maxLength', 'seed', 'name', 'runtime']);
  const e = object(where, 'encoder', o.encoder, ['cell', 'units', 'embedding', 'inputFeatures']);
  const d = object(where, 'decoder', o.decoder, ['units', 'vocabSize', 'embedding', 'cell']);
  const cell = oneOf(`${where}: encoder`, 'cell', e.cell ?? 'lstm', CELLS);
  if (d.cell !== undefined && d.cell !== cell) {
    throw new OptionError(`${where}: decoder.cell ${describe(d.cell)} differs from encoder.cell '${cell}'; the encoder's final states initialise the decoder, so both use the same cell`);
  }
  const units = positiveInteger(`${where}: encoder`, 'units', e.units);
  if ((e.embedding === undefined) === (e.inputFeatures === undefined)) {
    throw new OptionError(`${where}: the encoder needs exactly one of embedding: { inputDim, outputDim } (sources are ids) or inputFeatures (sources are vectors)`);
  }
  let embedding: Seq2SeqConfig['encoder']['embedding'] = null;
  if (e.embedding !== undefined) {
    const emb = object(where, 'encoder.embedding', e.embedding, ['inputDim', 'outputDim']);
    embedding = { inputDim: positiveInteger(`${where}: encoder.embedding`, 'inputDim', emb.inputDim), outputDim: positiveInteger(`${where}: encoder.embedding`, 'outputDim', emb.outputDim) };
  }
  const inputFeatures = e.inputFeatures === undefined ? null : positiveInteger(`${where}: encoder`, 'inputFeatures', e.inputFeatures);
  const decoderUnits = d.units === undefined ? units : positiveInteger(`${where}: decoder`, 'units', d.units);
  if (decoderUnits !== units) throw new OptionError(`${where}: decoder.units (${decoderUnits}) must equal encoder.units (${units}): the encoder's final state is the decoder's initial state`);
  const vocabSize = positiveInteger(`${where}: decoder`, 'vocabSize', d.vocabSize);
  if (vocabSize < 2) throw new OptionError(`${where}: decoder.vocabSize must be at least 2 (the start and end tokens), got ${vocabSize}`);
  const decoderEmbedding = object(where, 'decoder.embedding', d.embedding, ['outputDim']);
  const token = (name: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= vocabSize) {
      throw new OptionError(`${where}: ${name} must be a token id, an integer in [0, ${vocabSize}) (decoder.vocabSize), got ${describe(value)}`);
    }
    return value;
  };
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) throw new OptionError(`${where}: name must be a non-empty string, got ${describe(o.name)}`);
  return {
    name: (o.name as string | undefined) ?? 'seq2seq',
    encoder: { cell, units, embedding, inputFeatures },
    decoder: { units, vocabSize, embedding: { outputDim: positiveInteger(`${where}: decoder.embedding`, 'outputDim', decoderEmbedding.outputDim) } },
    startToken: token('startToken', o.startToken),
    endToken: token('endToken', o.endToken),
    maxLength: positiveInteger(where, 'maxLength', o.maxLength),
  };
}

function object(where: string, name: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OptionError(`${where}: ${name} must be an object, got ${describe(value)}`);
  checkOptionNames(`${where}: ${name}`, value, allowed);
  return value as Record<string, unknown>;
}

/** The encoder's layers: [embedding], recurrent (final state only). */
export function encoderSpecs(config: Seq2SeqConfig): LayerSpec[] {
  const { cell, units, embedding, inputFeatures } = config.encoder;
  if (embedding !== null) return [layers.embedding(embedding), layers[cell]({ units })];
  return [layers[cell]({ units, inputShape: [null, inputFeatures!] })];
}

/** The decoder's layers: embedding, recurrent (every step), dense softmax over the vocabulary. */
export function decoderSpecs(config: Seq2SeqConfig): LayerSpec[] {
  const { units, vocabSize, embedding } = config.decoder;
  return [
    layers.embedding({ inputDim: vocabSize, outputDim: embedding.outputDim }),
    layers[config.encoder.cell]({ units, returnSequences: true }),
    layers.dense({ units: vocabSize, activation: 'softmax' }),
  ];
}

/** The options that make a model of this config (what loading a saved encoder–decoder passes). */
export function configOptions(config: Seq2SeqConfig): Seq2SeqOptions {
  const { cell, units, embedding, inputFeatures } = config.encoder;
  return {
    name: config.name,
    encoder: embedding !== null ? { cell, units, embedding: { ...embedding } } : { cell, units, inputFeatures: inputFeatures! },
    decoder: { units: config.decoder.units, vocabSize: config.decoder.vocabSize, embedding: { ...config.decoder.embedding } },
    startToken: config.startToken,
    endToken: config.endToken,
    maxLength: config.maxLength,
  };
}
