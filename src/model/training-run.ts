import type { TrainingSession } from '../train/fit.js';
import { RunningMetrics } from '../train/metrics-running.js';
import type { Optimizer } from '../train/optimizers.js';
import { identityOrder, type ArenaDataset } from './batches.js';
import type { Sequential } from './sequential.js';

/** The data of one fit call: training samples [0, trainCount) and the validation samples, if any. */
export interface RunData {
  data: ArenaDataset;
  trainCount: number;
  /** Validation samples: `data`'s samples from `start` on. */
  validation: { data: ArenaDataset; start: number } | null;
  batchSize: number;
}

/** Connects fit's epoch loop (train/fit.ts) to a compiled Sequential model and its data. */
export class TrainingRun implements TrainingSession {
  readonly trainCount: number;
  readonly optimizer: Optimizer;
  private readonly validationOrder: Uint32Array | null;

  constructor(
    private readonly model: Sequential,
    private readonly run: RunData,
  ) {
    this.trainCount = run.trainCount;
    this.optimizer = model.requireCompiled('fit').optimizer;
    const v = run.validation;
    this.validationOrder = v === null ? null : identityOrder(v.start, v.data.count - v.start);
  }

  get stopRequested(): boolean {
    return this.model.stopTraining;
  }

  createMetrics(): RunningMetrics {
    const compiled = this.model.requireCompiled('fit');
    return new RunningMetrics(compiled.metrics, compiled.accuracyKind);
  }

  trainBatch(order: Uint32Array, start: number, size: number, metrics: RunningMetrics): number {
    this.model.batch.load(this.run.data, order, start, size);
    return this.model.lossAndGradients(this.model.batch, metrics);
  }

  gradientNorm(): number {
    return this.model.gradientNorm();
  }

  applyGradients(norm: number): void {
    this.model.applyGradients(norm);
  }

  restoreLastGood(): boolean {
    return this.model.restoreLastGood();
  }

  validate(metrics: RunningMetrics): boolean {
    if (this.run.validation === null || this.validationOrder === null) return false;
    this.model.evaluateData(this.run.validation.data, this.validationOrder, this.run.batchSize, metrics);
    return true;
  }

  keepBest(): void {
    this.model.keepBest();
  }

  restoreBest(): void {
    this.model.restoreBest();
  }
}
