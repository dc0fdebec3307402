import type { CandidateResult, EpochReport } from './train-candidate.js';

/** What a project worker posts to the main thread. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'result'; result: CandidateResult }
  | { type: 'error'; index: number; name: string; message: string };
