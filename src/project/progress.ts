import type { EpochReport } from './train-candidate.js';

/** What runProject's onProgress receives: after each epoch of any candidate, and at each phase. */
export interface ProjectProgress {
  phase: 'training' | 'testing' | 'done';
  /** 1-based number of the candidate whose epoch ended (0 outside training). */
  candidate: number;
  /** How many candidates the strategy lists (incremental may stop before the last). */
  candidates: number;
  /** Candidates finished so far. */
  finished: number;
  epoch: number;
  epochs: number;
  loss: number;
  validationLoss: number;
  elapsedMs: number;
  /** Estimated time left, from the share of epochs done (early stopping makes it pessimistic); null before the first epoch. */
  etaMs: number | null;
}

export type ProgressListener = (progress: ProjectProgress) => void;

/** Turns the workers' epoch reports into ProjectProgress events with an ETA. */
export class ProgressTracker {
  private readonly started = performance.now();
  private readonly running = new Map<number, number>();
  private finished = 0;

  constructor(
    private readonly candidates: number,
    private readonly listener: ProgressListener | undefined,
  ) {}

  epoch(report: EpochReport): void {
    this.running.set(report.index, report.epoch / report.epochs);
    this.emit('training', report);
  }

  candidateDone(index: number): void {
    this.running.delete(index);
    this.finished++;
  }

  phase(phase: 'testing' | 'done'): void {
    this.emit(phase, null);
  }

  private emit(phase: ProjectProgress['phase'], report: EpochReport | null): void {
    if (this.listener === undefined) return;
    const elapsedMs = performance.now() - this.started;
    const done = (this.finished + [...this.running.values()].reduce((a, b) => a + b, 0)) / this.candidates;
    this.listener({
      phase, candidate: report === null ? 0 : report.index + 1, candidates: this.candidates, finished: this.finished,
      epoch: report?.epoch ?? 0, epochs: report?.epochs ?? 0, loss: report?.loss ?? Number.NaN, validationLoss: report?.validationLoss ?? Number.NaN,
      elapsedMs, etaMs: phase !== 'training' ? 0 : done > 0 ? (elapsedMs * (1 - done)) / done : null,
    });
  }
}
