import { layers } from '../model/layer-specs.js';
import { sequential, type Sequential } from '../model/sequential.js';
import type { CandidateParams } from './settings.js';
import type { TaskSource } from './task-source.js';

const CELLS = { lstm: layers.lstm, gru: layers.gru, rnn: layers.simpleRNN } as const;

/**
 * The candidate's network: `layers` recurrent layers of `units` (dropout on their inputs), then a
 * Dense head: `horizon` values for a forecast, a softmax over the classes, or over the vocabulary at
 * every step for text (after an embedding).
 */
export function buildModel(source: TaskSource, params: CandidateParams, seed: number): Sequential {
  const cell = CELLS[params.cell];
  const everyStep = source.task === 'text';
  const inputShape: [number, number] | undefined =
    source.task === 'forecast' ? [params.window!, 1] : source.task === 'classify' ? source.shape : undefined;
  const recurrent = Array.from({ length: params.layers }, (_, i) =>
    cell({ units: params.units, dropout: params.dropout, returnSequences: everyStep || i < params.layers - 1, ...(i === 0 && inputShape !== undefined ? { inputShape } : {}) }),
  );
  if (source.task === 'forecast') return sequential([...recurrent, layers.dense({ units: source.horizon })], { seed, name: 'forecast' });
  if (source.task === 'classify') return sequential([...recurrent, layers.dense({ units: source.classes, activation: 'softmax' })], { seed, name: 'classify' });
  const vocab = source.vocabSize;
  return sequential([
    layers.embedding({ inputDim: vocab, outputDim: Math.min(32, vocab), maskZero: true }),
    ...recurrent,
    layers.dense({ units: vocab, activation: 'softmax' }),
  ], { seed, name: 'text' });
}
