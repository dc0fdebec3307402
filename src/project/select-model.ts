// Trains the strategy's candidates on the worker pool and keeps the one with the lowest validation
// error. Results depend only on each candidate's params and seed, never on which worker ran it or
// when, so the selection is the same with any number of workers.
import type { Candidate } from './candidates.js';
import type { ProjectSettings } from './settings.js';
import type { CandidateResult } from './train-candidate.js';

/** The candidates that count, in index order (incremental leaves out the sizes after it stopped). */
export async function trainCandidates(
  settings: ProjectSettings,
  candidates: readonly Candidate[],
  run: (candidate: Candidate) => Promise<CandidateResult>,
): Promise<CandidateResult[]> {
  if (settings.select.strategy !== 'incremental') return Promise.all(candidates.map(run));
  // Sizes are trained in waves of `workers`; the stopping rule is then applied in size order, and
  // any size of the last wave past the stop is dropped, so the result matches a one-by-one run.
  const results: CandidateResult[] = [];
  for (let start = 0; start < candidates.length; start += settings.workers) {
    const wave = await Promise.all(candidates.slice(start, start + settings.workers).map(run));
    for (const result of wave) {
      results.push(result);
      if (sizesSinceBest(results) >= settings.select.patience) return results;
    }
  }
  return results;
}

/** How many results came after the best one. */
function sizesSinceBest(results: readonly CandidateResult[]): number {
  return results.length - 1 - results.indexOf(bestCandidate(results));
}

/** The lowest validation loss; a tie goes to the earlier (smaller, for incremental) candidate. */
export function bestCandidate(results: readonly CandidateResult[]): CandidateResult {
  return results.reduce((best, result) => (result.validationLoss < best.validationLoss ? result : best));
}
