import { Tensor } from '../tensor.js';
import { seriesParts } from './forecast-data.js';
import type { ClassPart } from './classify-data.js';
import type { CandidateParams } from './settings.js';
import type { TaskSource } from './task-source.js';
import { textPieces } from './text-data.js';

/** Model inputs and targets, in any form `fit` takes. */
export interface Samples {
  x: Tensor | number[][];
  y: Tensor | number[][];
}

/** The training and validation samples a candidate fits on (its window may change them). */
export function candidateSamples(source: TaskSource, params: CandidateParams): { train: Samples; validation: Samples } {
  if (source.task === 'forecast') {
    const parts = seriesParts(source, params.window!);
    return { train: parts.train, validation: parts.validation };
  }
  if (source.task === 'classify') return { train: classSamples(source.train, source.shape), validation: classSamples(source.validation, source.shape) };
  return { train: textPieces(source.train, params.window!), validation: textPieces(source.validation, params.window!) };
}

export function classSamples(part: ClassPart, shape: readonly [number, number]): Samples {
  const n = part.y.length;
  return { x: new Tensor(part.x, [n, ...shape]), y: new Tensor(Float32Array.from(part.y), [n]) };
}
