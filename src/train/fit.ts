import type { Random } from '../random.js';
import type { CallbackList, Logs } from './callbacks.js';
import type { LoopState } from './checkpoint-file.js';
import { DivergenceError } from './divergence.js';
import type { EarlyStopping } from './early-stopping.js';
import type { RunningMetrics } from './metrics-running.js';
import type { ProgressBar } from './progress.js';

/**
 * What the epoch loop needs from a model: the model owns its data, batches and parameters, the
 * loop owns epochs, shuffling, callbacks, early stopping, progress, divergence checks and yielding.
 */
export interface TrainingSession {
  /** Training samples: indices 0 .. trainCount − 1 of the model's training data. */
  readonly trainCount: number;
  /** The optimizer's epoch drives its learning-rate schedule. */
  readonly optimizer: { epoch: number };
  /** Set by a callback (Keras' `model.stop_training`) to end training after the current batch. */
  readonly stopRequested: boolean;
  /** Fresh accumulators for the compiled loss and metrics. */
  createMetrics(): RunningMetrics;
  /**
   * Loads samples order[start .. start + size); returns how many updates the batch makes: 1, or
   * one per window with truncated BPTT.
   */
  loadBatch(order: Uint32Array, start: number, size: number): number;
  /**
   * Zeroes the gradients and runs forward, loss and backward of update `update` of the loaded
   * batch; returns its mean loss, or null when that update has no real step (nothing to apply).
   */
  trainStep(update: number, metrics: RunningMetrics): number | null;
  /** Global L2 norm of all gradients (before clipping). */
  gradientNorm(): number;
  /** Clips (per compile) and applies one optimizer step, keeping the weights it replaces. */
  applyGradients(norm: number): void;
  /** Puts back the weights the last applied step replaced; false when no step was applied yet. */
  restoreLastGood(): boolean;
  /** Evaluates the validation data into `metrics`; false when there is none. */
  validate(metrics: RunningMetrics): boolean;
  /** Remembers the current weights as the best (early stopping). */
  keepBest(): void;
  restoreBest(): void;
}

export interface LoopSettings {
  epochs: number;
  initialEpoch: number;
  batchSize: number;
  shuffle: boolean;
  /** Shuffling order. */
  random: Random;
  callbacks: CallbackList;
  earlyStopping: EarlyStopping | null;
  progress: ProgressBar | null;
  /** Writes checkpoints at the end of epochs; absent or null for none. */
  checkpoint?: EpochCheckpoints | null;
  /** The state of a checkpoint to continue from (the model's part already restored); absent or null to start at initialEpoch. */
  resume?: LoopState | null;
}

/** Where the loop hands its state at the end of an epoch. */
export interface EpochCheckpoints {
  /** Write after every `every`-th epoch (epoch + 1 divisible by it) and after the last one. */
  readonly every: number;
  write(state: LoopState): Promise<void>;
}

/** What fit returns (Keras' History): per-epoch logs under Keras' names. */
export interface History {
  epoch: number[];
  history: Record<string, number[]>;
  params: { epochs: number; batchSize: number; samples: number; steps: number };
}

/** Longest stretch of training between two yields to the event loop. */
const YIELD_EVERY_MS = 50;

const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/** The epoch loop of `fit`. */
export async function runEpochs(session: TrainingSession, settings: LoopSettings): Promise<History> {
  const { epochs, initialEpoch, batchSize, callbacks, earlyStopping, progress } = settings;
  const checkpoint = settings.checkpoint ?? null;
  const resume = settings.resume ?? null;
  const count = session.trainCount;
  const steps = Math.ceil(count / batchSize);
  const order = resume?.order ?? identity(count);
  const history: History = { epoch: [], history: {}, params: { epochs, batchSize, samples: count, steps } };
  if (resume !== null) {
    history.epoch = [...resume.epochs];
    for (const [key, values] of Object.entries(resume.history)) history.history[key] = [...values];
    settings.random.setState(resume.shuffle);
    if (earlyStopping !== null && resume.earlyStopping !== null) earlyStopping.setState(resume.earlyStopping);
  }
  const train = session.createMetrics();
  const validation = session.createMetrics();
  let logs: Logs = {};
  await callbacks.trainBegin({});
  let lastYield = now();
  let stopped = resume?.stopped ?? false;
  for (let epoch = resume?.nextEpoch ?? initialEpoch; !stopped && epoch < epochs; epoch++) {
    session.optimizer.epoch = epoch;
    await callbacks.epochBegin(epoch, {});
    progress?.epochBegin(epoch);
    if (settings.shuffle) settings.random.shuffle(order);
    train.reset();
    let samples = 0;
    for (let batch = 0; batch < steps; batch++) {
      const start = batch * batchSize;
      const size = Math.min(batchSize, count - start);
      if (callbacks.hasBatchBegin) await callbacks.batchBegin(batch, size);
      const updates = session.loadBatch(order, start, size);
      let lossSum = 0;
      let applied = 0;
      let gradNorm = 0;
      for (let update = 0; update < updates; update++) {
        const loss = session.trainStep(update, train);
        if (loss === null) continue;
        const norm = session.gradientNorm();
        if (!Number.isFinite(loss) || !Number.isFinite(norm)) throw diverged(session, loss, norm, epoch, batch);
        session.applyGradients(norm);
        lossSum += loss;
        applied++;
        gradNorm = Math.max(gradNorm, norm);
      }
      samples += size;
      progress?.batch(batch, samples, train.meanLoss);
      if (callbacks.hasBatchEnd) await callbacks.batchEnd(batch, { loss: lossSum / applied, gradNorm, size });
      if (session.stopRequested) break;
      if (now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
    logs = {};
    train.write(logs, '');
    if (session.validate(validation)) validation.write(logs, 'val_');
    history.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (history.history[key] ??= []).push(value);
    progress?.epochEnd(samples, logs);
    await callbacks.epochEnd(epoch, logs);
    if (earlyStopping !== null) {
      const decision = earlyStopping.update(epoch, logs);
      if (decision === 'improved' && earlyStopping.restoreBest) session.keepBest();
      if (decision === 'stop') stopped = true;
    }
    if (session.stopRequested) stopped = true;
    if (checkpoint !== null && ((epoch + 1) % checkpoint.every === 0 || stopped || epoch + 1 === epochs)) {
      await checkpoint.write({
        nextEpoch: epoch + 1, stopped, order, epochs: history.epoch, history: history.history,
        shuffle: settings.random.getState(), earlyStopping: earlyStopping?.getState() ?? null,
      });
    }
  }
  if (earlyStopping?.restoreBest && earlyStopping.bestEpoch >= 0) session.restoreBest();
  await callbacks.trainEnd(logs);
  return history;
}

function identity(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

function diverged(session: TrainingSession, loss: number, gradNorm: number, epoch: number, batch: number): DivergenceError {
  const restored = session.restoreLastGood();
  const what = Number.isFinite(loss) ? `the gradient norm became ${gradNorm} (loss ${loss})` : `the loss became ${loss}`;
  const weights = restored
    ? 'the weights were restored to those of the last batch with a finite loss'
    : 'no update had been applied, so the weights are unchanged';
  return new DivergenceError(
    `fit: training diverged: ${what} at epoch ${epoch}, batch ${batch} (0-based); training stopped before this batch's update and ${weights}. ` +
      'Lower the learning rate, scale the inputs, or set clipNorm in compile.',
    epoch,
    batch,
  );
}
