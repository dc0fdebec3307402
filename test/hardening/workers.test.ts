import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { BACKENDS } from '../helpers/runtimes.js';
import { prepareJob, type TrainJob, type TrainResult } from './fixtures/train-job.js';

/*
 * Many models at once, across threads: two worker threads, each with its own runtime (its own
 * Wasm instance and memory), start training at the same moment on each backend in turn, and end
 * with exactly the losses and weights of the same training run alone in the test's thread. The
 * workers import the library's sources through tsx (fixtures/tsx-worker.mjs).
 */

const ENTRY = new URL('./fixtures/tsx-worker.mjs', import.meta.url);
const SCRIPT = new URL('./fixtures/train-worker.ts', import.meta.url).href;
const EPOCHS = 12;

/** A worker whose messages are queued, so none is missed between two awaits. */
class TrainingWorker {
  private readonly worker: Worker;
  private readonly queue: unknown[] = [];
  private waiting: { resolve(message: unknown): void; reject(error: unknown): void } | null = null;
  private failure: unknown = null;

  constructor(job: TrainJob) {
    this.worker = new Worker(ENTRY, { workerData: { script: SCRIPT, job, backends: BACKENDS } });
    this.worker.on('message', (message: unknown) => {
      if (this.waiting !== null) this.settle().resolve(message);
      else this.queue.push(message);
    });
    const fail = (error: unknown) => {
      this.failure = error;
      if (this.waiting !== null) this.settle().reject(error);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => code !== 0 && fail(new Error(`worker exited with code ${code}`)));
  }

  next<T>(): Promise<T> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift() as T);
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve: resolve as (m: unknown) => void, reject }));
  }

  go(): void {
    this.worker.postMessage('go');
  }

  private settle() {
    const waiting = this.waiting!;
    this.waiting = null;
    return waiting;
  }
}

it('two worker threads train at the same time to the results of each model trained alone, on every backend', async () => {
  const jobs: TrainJob[] = [{ kind: 'regression', epochs: EPOCHS }, { kind: 'classifier', epochs: EPOCHS }];
  const workers = jobs.map((job) => new TrainingWorker(job));
  for (const backend of BACKENDS) {
    await Promise.all(workers.map((w) => w.next()));
    for (const w of workers) w.go();
    const [a, b] = (await Promise.all(workers.map((w) => w.next<{ result: TrainResult }>()))).map((m) => m.result);
    // The two fits really overlapped in time.
    expect(a!.span[0]).toBeLessThan(b!.span[1]);
    expect(b!.span[0]).toBeLessThan(a!.span[1]);
    const overlap = Math.min(a!.span[1], b!.span[1]) - Math.max(a!.span[0], b!.span[0]);
    console.log(`workers (${backend}): fits of ${(a!.span[1] - a!.span[0]).toFixed(0)} and ${(b!.span[1] - b!.span[0]).toFixed(0)} ms overlapped ${overlap.toFixed(0)} ms`);

    const [aloneA, aloneB] = [await prepareJob(jobs[0]!, backend).fit(), await prepareJob(jobs[1]!, backend).fit()];
    expect(a!.history).toEqual(aloneA.history);
    expect(a!.weights).toEqual(aloneA.weights);
    expect(b!.history).toEqual(aloneB.history);
    expect(b!.weights).toEqual(aloneB.weights);
  }
});
