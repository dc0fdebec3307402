import { OptionError, checkOptionNames, describe, positiveInteger } from '../errors.js';
import { runtime as defaultRuntime } from '../kernels/backend.js';
import type { Runtime } from '../kernels/runtime.js';
import type { StateDictValue } from '../layers/state-dict.js';
import { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import { ArenaDataset, identityOrder } from './batches.js';
import { RecurrentBlock } from './blocks.js';
import type { LayerSpec } from './layer-specs.js';
import { ModelCore } from './model-core.js';
import { decoderSpecs, encoderSpecs, readSeq2SeqConfig, type Seq2SeqConfig, type Seq2SeqOptions } from './seq2seq-config.js';
import { readSources } from './seq2seq-data.js';
import { SequentialCore, type SequentialOptions } from './sequential-core.js';
import { Stream } from './stateful.js';

/*
 * An encoder–decoder that runs but does not train: greedy decoding (translate), state dicts,
 * toJSON. It imports no training code; `Seq2Seq` (seq2seq.ts) adds compile / fit / evaluate with
 * trainable parts, and the inference entry's loadModel builds this class.
 */

/** Builds the encoder and the decoder: SequentialCore here, Sequential in the training subclass. */
export type PartFactory<Part extends SequentialCore> = (specs: readonly LayerSpec[], options: SequentialOptions) => Part;

/** The recurrent layer of an encoder or decoder stack. */
export function recurrentLayer(model: SequentialCore): RecurrentBlock {
  return model.blocks.find((block): block is RecurrentBlock => block instanceof RecurrentBlock)!;
}

export class Seq2SeqCore<Part extends SequentialCore = SequentialCore> extends ModelCore {
  readonly kind = 'seq2seq';
  readonly config: Seq2SeqConfig;
  readonly seed: number;
  readonly runtime: Runtime;
  /** Sources → final states. Its parameters are named `encoder.${name}` in stateDict. */
  readonly encoder: Part;
  /** Start token + target → next tokens, from the encoder's states. Parameters `decoder.${name}`. */
  readonly decoder: Part;
  private decoding: Stream | null = null;

  constructor(options: Seq2SeqOptions & { runtime?: Runtime }, makePart: PartFactory<Part> = (specs, o) => new SequentialCore(specs, o) as Part) {
    super();
    const where = 'seq2seq';
    this.config = readSeq2SeqConfig(where, options);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new OptionError(`${where}: seed must be an integer, got ${describe(seed)}`);
    this.seed = seed;
    this.runtime = options.runtime ?? defaultRuntime();
    const random = new Random(seed);
    this.encoder = makePart(encoderSpecs(this.config), { runtime: this.runtime, seed: random.nextUint32(), name: 'encoder' });
    this.decoder = makePart(decoderSpecs(this.config), { runtime: this.runtime, seed: random.nextUint32(), name: 'decoder' });
  }

  countParams(): number {
    return this.encoder.countParams() + this.decoder.countParams();
  }

  summary(options: { print?: boolean } = {}): string {
    checkOptionNames('summary', options, ['print']);
    const text = [`Model: "${this.config.name}" (encoder–decoder)`, this.encoder.summary({ print: false }), this.decoder.summary({ print: false })].join('\n');
    if (options.print !== false) console.log(text);
    return text;
  }

  /**
   * Greedy decoding: for each source, the most likely next id at every step, fed back, until
   * endToken (left out) or maxLength ids. Returns one id array per source.
   */
  translate(sources: unknown, options: { maxLength?: number; batchSize?: number } = {}): number[][] {
    const where = 'seq2seq.translate';
    this.checkLive(where);
    this.checkIdle(where);
    checkOptionNames(where, options, ['maxLength', 'batchSize']);
    const maxLength = positiveInteger(where, 'maxLength', options.maxLength ?? this.config.maxLength);
    const batchSize = positiveInteger(where, 'batchSize', options.batchSize ?? 32);
    const data = new ArenaDataset(this.runtime, readSources(where, this.encoder.plan, sources));
    const results: number[][] = [];
    try {
      const order = identityOrder(0, data.count);
      for (let start = 0; start < data.count; start += batchSize) {
        const size = Math.min(batchSize, data.count - start);
        this.encoder.batch.load(data, order, start, size);
        results.push(...this.decodeLoadedBatch(size, maxLength));
      }
    } finally {
      data.release();
    }
    return results;
  }

  /** Same as translate (Keras' name). */
  predict(sources: unknown, options: { maxLength?: number; batchSize?: number } = {}): number[][] {
    return this.translate(sources, options);
  }

  /** Parameters by name: `encoder.0.weight`, `decoder.1.weight_ih_l0`, … */
  stateDict(): Record<string, Tensor> {
    this.checkLive('stateDict');
    return { ...prefixed('encoder.', this.encoder.stateDict()), ...prefixed('decoder.', this.decoder.stateDict()) };
  }

  /** Loads values by name (strict: exactly the names and shapes of stateDict()). */
  loadStateDict(dict: Record<string, StateDictValue>): void {
    this.checkLive('loadStateDict');
    const parts: Record<'encoder' | 'decoder', Record<string, StateDictValue>> = { encoder: {}, decoder: {} };
    for (const [name, value] of Object.entries(dict)) {
      const dot = name.indexOf('.');
      const part = name.slice(0, dot);
      if (part !== 'encoder' && part !== 'decoder') throw new OptionError(`seq2seq.loadStateDict: '${name}' must start with 'encoder.' or 'decoder.'`);
      parts[part][name.slice(dot + 1)] = value;
    }
    this.encoder.loadStateDict(parts.encoder);
    this.decoder.loadStateDict(parts.decoder);
  }

  protected release(): void {
    this.decoding?.release();
    this.encoder.dispose();
    this.decoder.dispose();
  }

  /** Encodes the batch loaded in the encoder, then decodes all its sequences together, one step at a time. */
  private decodeLoadedBatch(B: number, maxLength: number): number[][] {
    const batch = this.encoder.batch;
    this.encoder.forwardBatch(batch.x, batch.T, B, batch.mask, false, false);
    const encoded = recurrentLayer(this.encoder).core;
    const stream = (this.decoding ??= new Stream(this.decoder, 'seq2seq.translate'));
    stream.reset(B);
    const k = this.runtime.kernels;
    const state = stream.carried.slot(0);
    const H = this.config.encoder.units;
    k.copy(state.h, encoded.hN, B * H);
    if (state.c !== 0) k.copy(state.c, encoded.cN, B * H);
    const V = this.config.decoder.vocabSize;
    const outputs: number[][] = Array.from({ length: B }, () => []);
    const done = new Array<boolean>(B).fill(false);
    let next = new Array<number>(B).fill(this.config.startToken);
    for (let step = 0; step < maxLength && done.includes(false); step++) {
      const input = stream.inputBuffers(B);
      this.runtime.arena.storage.data.set(next, input.x >>> 2);
      const probabilities = stream.advance(input.x, 1, B, 0) >>> 2;
      const heap = this.runtime.arena.storage.data;
      next = next.map((_, b) => {
        const row = probabilities + b * V;
        let best = 0;
        for (let v = 1; v < V; v++) if (heap[row + v]! > heap[row + best]!) best = v;
        if (done[b]) return this.config.endToken;
        if (best === this.config.endToken) done[b] = true;
        else outputs[b]!.push(best);
        return best;
      });
    }
    return outputs;
  }
}

function prefixed<T>(prefix: string, dict: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(dict).map(([name, value]) => [prefix + name, value]));
}
