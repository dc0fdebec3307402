import type { CheckpointIdentity, LoopState, ModelState } from '../train/checkpoint-file.js';
import type { CheckpointSettings } from '../train/checkpoint-options.js';
import { Checkpointer, type CheckpointedModel } from '../train/checkpointer.js';
import type { EarlyStopping } from '../train/early-stopping.js';
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
  /** What a checkpoint records of the fit's settings, and the checkpoint option (null: none). */
  shuffle: boolean;
  earlyStopping: EarlyStopping | null;
  checkpoint: CheckpointSettings | null;
}

/** Connects fit's epoch loop (train/fit.ts) to a compiled Sequential model and its data. */
export class TrainingRun implements TrainingSession, CheckpointedModel {
  readonly trainCount: number;
  readonly optimizer: Optimizer;
  /** Writes and resumes the fit's checkpoints; null without the checkpoint option. */
  readonly checkpointer: Checkpointer | null;
  /** A copy of early stopping's best weights for checkpoints (the model keeps its own in the arena). */
  private bestWeights: Float32Array | null = null;
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
    this.checkpointer = run.checkpoint === null ? null : new Checkpointer(run.checkpoint, this);
  }

  /** With checkpoint `resume: true` and a checkpoint file: restores the model from it and returns the loop's state. */
  async resume(): Promise<LoopState | null> {
    return this.checkpointer === null ? null : this.checkpointer.resume();
  }

  checkpointIdentity(): CheckpointIdentity {
    const es = this.run.earlyStopping;
    const compiled = this.model.requireCompiled('fit');
    return {
      architecture: this.model.plan.layers.map((layer) => layer.spec),
      compile: { optimizer: this.optimizer.toJSON(), loss: compiled.loss, metrics: compiled.metrics.map((m) => m.key), clipNorm: compiled.clipNorm, clipValue: compiled.clipValue },
      regionLength: this.model.parameterSet.length,
      momentCount: this.optimizer.stateBufferCount,
      samples: this.trainCount,
      batchSize: this.run.batchSize,
      shuffle: this.run.shuffle,
      earlyStopping: es === null ? null : { monitor: es.monitor, patience: es.patience, minDelta: es.minDelta, restoreBest: es.restoreBest },
    };
  }

  captureState(): ModelState {
    return {
      weights: Float32Array.from(this.model.parameterSet.values.view()),
      bestWeights: this.bestWeights,
      optimizer: this.optimizer.getState(),
      dropout: this.model.context.random.getState(),
    };
  }

  restoreState(state: ModelState): void {
    const values = this.model.parameterSet.values;
    if (state.bestWeights !== null) {
      // The model keeps its best weights in the arena: pass them through the parameters.
      values.view().set(state.bestWeights);
      this.model.keepBest();
    }
    values.view().set(state.weights);
    this.bestWeights = state.bestWeights;
    this.optimizer.setState(state.optimizer);
    this.model.context.random.setState(state.dropout);
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
    if (this.checkpointer !== null) this.bestWeights = Float32Array.from(this.model.parameterSet.values.view());
  }

  restoreBest(): void {
    this.model.restoreBest();
  }
}
