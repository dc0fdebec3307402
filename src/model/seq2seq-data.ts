import { ShapeError, ValueError, describe } from '../errors.js';
import type { DatasetArrays } from './batches.js';
import { readDataset } from './dataset.js';
import type { Seq2SeqConfig } from './seq2seq-config.js';
import type { StackPlan } from './stack.js';

/*
 * Source–target pairs of an encoder–decoder. Sources are read like a Sequential model's x
 * (ragged sequences padded and masked). Each target of L ids becomes a decoder input of L + 1 ids
 * (startToken, then the target: teacher forcing) and L + 1 class ids to predict (the target, then
 * endToken), padded and masked likewise.
 */

export function readSources(where: string, plan: StackPlan, sources: unknown): DatasetArrays {
  return readDataset(where, plan, sources, undefined, {}, null, 'sources');
}

export function readPairs(
  where: string, config: Seq2SeqConfig, encoderPlan: StackPlan, decoderPlan: StackPlan, sources: unknown, targets: unknown,
): { source: DatasetArrays; target: DatasetArrays } {
  const source = readSources(where, encoderPlan, sources);
  const ids = readTargets(where, targets, config.decoder.vocabSize);
  if (ids.length !== source.count) throw new ShapeError(`${where}: sources has ${source.count} sequences but targets has ${ids.length}; they must match`);
  const decoderInputs = ids.map((t) => [config.startToken, ...t]);
  const decoderTargets = ids.map((t) => [...t, config.endToken]);
  const target = readDataset(where, decoderPlan, decoderInputs, decoderTargets, {}, { loss: 'sparseCategoricalCrossentropy', units: config.decoder.vocabSize });
  return { source, target };
}

/** Ragged target id sequences (possibly empty), each id in [0, vocabSize). */
function readTargets(where: string, targets: unknown, vocabSize: number): number[][] {
  if (!Array.isArray(targets) || targets.length === 0) throw new ValueError(`${where}: targets must be a non-empty array of id sequences, got ${describe(targets)}`);
  return targets.map((sequence: unknown, n) => {
    if (!Array.isArray(sequence)) throw new ShapeError(`${where}: targets[${n}] must be an array of token ids, got ${describe(sequence)}`);
    return sequence.map((id: unknown, t) => {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
        throw new ValueError(`${where}: targets[${n}][${t}] must be a token id, an integer in [0, ${vocabSize}) (decoder.vocabSize), got ${describe(id)}`);
      }
      return id;
    });
  });
}
