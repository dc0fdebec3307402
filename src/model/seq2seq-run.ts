import { Workspace } from '../layers/workspace.js';
import type { TrainingSession } from '../train/fit.js';
import { RunningMetrics } from '../train/metrics-running.js';
import { identityOrder, type ArenaDataset } from './batches.js';
import type { RecurrentBlock } from './blocks.js';
import { recurrentLayer } from './seq2seq-core.js';
import type { Sequential } from './sequential.js';

/**
 * One teacher-forced pass over the batches loaded in the encoder and the decoder: the encoder's
 * final states start the decoder, and in training the gradient of the decoder's initial states
 * flows back into the encoder (∂L/∂h0 as the gradient of the encoder's output, ∂L/∂c0 as that of
 * its final cell state).
 */
export class TeacherForcing {
  private readonly encoderLayer: RecurrentBlock;
  private readonly decoderLayer: RecurrentBlock;
  private readonly space: Workspace;
  private stateSize = -1;
  private gradients = { dh: 0, dc: 0 };

  constructor(
    readonly encoder: Sequential,
    readonly decoder: Sequential,
  ) {
    this.encoderLayer = recurrentLayer(encoder);
    this.decoderLayer = recurrentLayer(decoder);
    this.space = new Workspace(encoder.runtime.arena);
  }

  /** Mean loss of the loaded batches; with `training`, the gradients of both models too. */
  loss(training: boolean, metrics: RunningMetrics | null): number {
    const { encoder, decoder, encoderLayer: e, decoderLayer: d } = this;
    const batch = encoder.batch;
    encoder.forwardBatch(batch.x, batch.T, batch.B, batch.mask, training, false);
    d.h0 = e.core.hN;
    d.c0 = e.core.cN;
    try {
      if (!training) return decoder.lossOnBatch(decoder.batch, false, metrics);
      const { dh, dc } = this.layout(batch.B);
      d.dh0 = dh;
      d.dc0 = dc;
      encoder.parameterSet.zeroGrad();
      const loss = decoder.lossAndGradients(decoder.batch, metrics);
      e.dcN = dc;
      encoder.backwardBatch(dh);
      return loss;
    } finally {
      d.h0 = d.c0 = d.dh0 = d.dc0 = e.dcN = 0;
    }
  }

  release(): void {
    this.space.release();
    this.stateSize = -1;
  }

  private layout(B: number): { dh: number; dc: number } {
    const size = B * this.encoderLayer.core.sizes.hiddenSize;
    if (size !== this.stateSize) {
      this.gradients = this.space.carve({ dh: size, dc: this.encoderLayer.core.cell.cellState ? size : 0 });
      this.stateSize = size;
    }
    return this.gradients;
  }
}

/** Source and target data sets of an encoder–decoder, sample for sample. */
export interface PairData {
  source: ArenaDataset;
  target: ArenaDataset;
}

/** Teacher-forced loss and metrics over samples order[…], batch by batch, in inference mode. */
export function evaluatePairs(forcing: TeacherForcing, data: PairData, order: Uint32Array, batchSize: number, metrics: RunningMetrics): void {
  metrics.reset();
  for (let start = 0; start < order.length; start += batchSize) {
    const size = Math.min(batchSize, order.length - start);
    forcing.encoder.batch.load(data.source, order, start, size);
    forcing.decoder.batch.load(data.target, order, start, size);
    forcing.loss(false, metrics);
  }
}

/** What fit's epoch loop drives for an encoder–decoder: two models updated as one. */
export class Seq2SeqRun implements TrainingSession {
  readonly optimizer: { epoch: number };
  private readonly validationOrder: Uint32Array | null;

  constructor(
    private readonly forcing: TeacherForcing,
    private readonly data: PairData,
    readonly trainCount: number,
    private readonly validation: { data: PairData; start: number } | null,
    private readonly batchSize: number,
    private readonly stop: () => boolean,
  ) {
    const optimizers = [forcing.encoder, forcing.decoder].map((model) => model.requireCompiled('fit').optimizer);
    this.optimizer = {
      get epoch() {
        return optimizers[1]!.epoch;
      },
      set epoch(epoch: number) {
        for (const optimizer of optimizers) optimizer.epoch = epoch;
      },
    };
    this.validationOrder = validation === null ? null : identityOrder(validation.start, validation.data.source.count - validation.start);
  }

  private get models(): readonly Sequential[] {
    return [this.forcing.encoder, this.forcing.decoder];
  }

  get stopRequested(): boolean {
    return this.stop();
  }

  createMetrics(): RunningMetrics {
    const compiled = this.forcing.decoder.requireCompiled('fit');
    return new RunningMetrics(compiled.metrics, compiled.accuracyKind);
  }

  loadBatch(order: Uint32Array, start: number, size: number): number {
    this.forcing.encoder.batch.load(this.data.source, order, start, size);
    this.forcing.decoder.batch.load(this.data.target, order, start, size);
    return 1;
  }

  trainStep(_update: number, metrics: RunningMetrics): number {
    return this.forcing.loss(true, metrics);
  }

  /** The global norm over both models' gradients (clipNorm clips them together). */
  gradientNorm(): number {
    return Math.hypot(...this.models.map((model) => model.gradientNorm()));
  }

  applyGradients(norm: number): void {
    for (const model of this.models) model.applyGradients(norm);
  }

  restoreLastGood(): boolean {
    return this.models.map((model) => model.restoreLastGood()).some(Boolean);
  }

  validate(metrics: RunningMetrics): boolean {
    if (this.validation === null || this.validationOrder === null) return false;
    evaluatePairs(this.forcing, this.validation.data, this.validationOrder, this.batchSize, metrics);
    return true;
  }

  keepBest(): void {
    for (const model of this.models) model.keepBest();
  }

  restoreBest(): void {
    for (const model of this.models) model.restoreBest();
  }
}
