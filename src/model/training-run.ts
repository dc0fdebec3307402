import type { TrainingSession } from '../train/fit.js';
import { RunningMetrics } from '../train/metrics-running.js';
import type { Optimizer } from '../train/optimizers.js';
import { TruncatedBptt, type TbpttSettings } from '../train/tbptt.js';
import { identityOrder, type ArenaDataset } from './batches.js';
import type { Sequential } from './sequential.js';
import { TruncatedBatch } from './truncated-batch.js';

/** The data of one fit call: training samples [0, trainCount) and the validation samples, if any. */
export interface RunData {
  data: ArenaDataset;
  trainCount: number;
  /** Validation samples: `data`'s samples from `start` on. */
  validation: { data: ArenaDataset; start: number } | null;
  batchSize: number;
  /** Truncated BPTT windows, or null for full BPTT. */
  tbptt: TbpttSettings | null;
}

/** Connects fit's epoch loop (train/fit.ts) to a compiled Sequential model and its data. */
export class TrainingRun implements TrainingSession {
  readonly trainCount: number;
  readonly optimizer: Optimizer;
  private readonly validationOrder: Uint32Array | null;
  private readonly truncated: { schedule: TruncatedBptt; batch: TruncatedBatch } | null;

  constructor(
    private readonly model: Sequential,
    private readonly run: RunData,
  ) {
    this.trainCount = run.trainCount;
    this.optimizer = model.requireCompiled('fit').optimizer;
    const v = run.validation;
    this.validationOrder = v === null ? null : identityOrder(v.start, v.data.count - v.start);
    this.truncated = run.tbptt === null ? null : { schedule: new TruncatedBptt(run.tbptt), batch: new TruncatedBatch(model) };
  }

  get stopRequested(): boolean {
    return this.model.stopTraining;
  }

  createMetrics(): RunningMetrics {
    const compiled = this.model.requireCompiled('fit');
    return new RunningMetrics(compiled.metrics, compiled.accuracyKind);
  }

  loadBatch(order: Uint32Array, start: number, size: number): number {
    this.model.batch.load(this.run.data, order, start, size);
    return this.truncated === null ? 1 : this.truncated.schedule.windows(this.model.batch.T);
  }

  trainStep(update: number, metrics: RunningMetrics): number | null {
    if (this.truncated === null) return this.model.lossAndGradients(this.model.batch, metrics);
    return this.truncated.schedule.trainWindow(this.truncated.batch, update, metrics);
  }

  /** Releases what the run allocated (truncated BPTT's carried states). */
  release(): void {
    this.truncated?.batch.release();
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
