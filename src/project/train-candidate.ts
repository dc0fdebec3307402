// Trains one candidate with early stopping on the validation split: the job a worker thread runs.
import type { ModelJSON } from '../io/model-json.js';
import type { Candidate } from './candidates.js';
import { buildModel } from './build-model.js';
import { candidateSamples } from './candidate-samples.js';
import type { CandidateParams, TrainSettings } from './settings.js';
import type { TaskSource } from './task-source.js';

export interface CandidateJob {
  candidate: Candidate;
  source: TaskSource;
  train: TrainSettings;
}

/** Sent after every epoch, for the progress display. */
export interface EpochReport {
  index: number;
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  validationLoss: number;
}

export interface CandidateResult {
  index: number;
  params: CandidateParams;
  seed: number;
  /** Training loss at the best epoch. */
  trainingLoss: number;
  /** The lowest validation loss: the candidate's validation error, whose weights are kept. */
  validationLoss: number;
  /** Epochs run (early stopping ends most runs before train.epochs). */
  epochs: number;
  /** 1-based epoch of the lowest validation loss. */
  bestEpoch: number;
  /** Wall time of the training, ms. */
  ms: number;
  /** Per-epoch losses. */
  history: { loss: number[]; validationLoss: number[] };
  /** The trained model at its best epoch (model.toJSON()). */
  model: ModelJSON;
}

export async function trainCandidate(job: CandidateJob, onEpoch: (report: EpochReport) => void): Promise<CandidateResult> {
  const { candidate, source, train } = job;
  const { params, seed, index } = candidate;
  const started = performance.now();
  const samples = candidateSamples(source, params);
  const model = buildModel(source, params, seed);
  try {
    model.compile({
      optimizer: { name: train.optimizer, learningRate: params.learningRate },
      loss: source.task === 'forecast' ? 'meanSquaredError' : 'sparseCategoricalCrossentropy',
      ...(train.clipNorm > 0 ? { clipNorm: train.clipNorm } : {}),
    });
    const history = await model.fit(samples.train.x, samples.train.y, {
      epochs: train.epochs, batchSize: train.batchSize, seed: seed + 1, verbose: 0,
      validationData: [samples.validation.x, samples.validation.y],
      earlyStopping: { monitor: 'val_loss', patience: train.patience, restoreBest: true },
      callbacks: {
        onEpochEnd: (epoch, logs) => onEpoch({ index, epoch: epoch + 1, epochs: train.epochs, loss: logs.loss!, validationLoss: logs.val_loss! }),
      },
    });
    const loss = history.history.loss!;
    const validationLoss = history.history.val_loss!;
    const best = validationLoss.indexOf(Math.min(...validationLoss));
    return {
      index, params, seed,
      trainingLoss: loss[best]!, validationLoss: validationLoss[best]!, epochs: loss.length, bestEpoch: best + 1,
      ms: Math.round(performance.now() - started),
      history: { loss, validationLoss },
      model: model.toJSON(),
    };
  } finally {
    model.dispose();
  }
}
