// A fixed number of worker threads training candidates, one job per worker at a time. Node only:
// node:worker_threads is imported when the pool starts.
import type { Worker } from 'node:worker_threads';
import type { BackendName } from '../kernels/runtime.js';
import { WasmRnnError } from '../errors.js';
import type { CandidateJob, CandidateResult, EpochReport } from './train-candidate.js';
import type { WorkerMessage } from './worker-messages.js';

interface Pending {
  job: CandidateJob;
  resolve(result: CandidateResult): void;
  reject(error: Error): void;
}

/** A candidate whose training failed in its worker (the message is the worker's error). */
export class CandidateError extends WasmRnnError {
  override name = 'CandidateError';
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private failure: Error | null = null;

  private constructor(private readonly onEpoch: (report: EpochReport) => void) {}

  /** Starts `size` workers on `backend` and waits until each has loaded the library. */
  static async start(size: number, backend: BackendName, onEpoch: (report: EpochReport) => void): Promise<WorkerPool> {
    const pool = new WorkerPool(onEpoch);
    const { Worker } = await import('node:worker_threads');
    const entry = workerEntry();
    const workers = Array.from({ length: size }, () => new Worker(entry.script, { eval: entry.eval, workerData: { backend } }));
    try {
      await Promise.all(workers.map((worker) => pool.attach(worker)));
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    return pool;
  }

  /** Trains the candidate on the next free worker. */
  run(job: CandidateJob): Promise<CandidateResult> {
    return new Promise((resolve, reject) => {
      if (this.failure !== null) return reject(this.failure);
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.idle, ...this.busy.keys()].map((worker) => worker.terminate()));
  }

  private attach(worker: Worker): Promise<void> {
    return new Promise((ready, failed) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          this.idle.push(worker);
          ready();
        } else if (message.type === 'epoch') this.onEpoch(message.report);
        else this.finish(worker, message);
      });
      worker.on('error', (error) => {
        failed(error);
        this.fail(error);
      });
    });
  }

  private finish(worker: Worker, message: Extract<WorkerMessage, { type: 'result' | 'error' }>): void {
    const pending = this.busy.get(worker)!;
    this.busy.delete(worker);
    this.idle.push(worker);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new CandidateError(`candidate ${message.index + 1}: ${message.name}: ${message.message}`));
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.job);
    }
  }

  /** A worker crashed: every job waiting or running fails with its error. */
  private fail(error: Error): void {
    this.failure = error;
    for (const pending of [...this.busy.values(), ...this.queue.splice(0)]) pending.reject(error);
    this.busy.clear();
  }
}

/**
 * The worker script. In the package it is dist/project-worker.js, beside dist/index.js (or one
 * folder up when this code sits in dist/chunks/). Run from the TypeScript sources (tests, tsx),
 * the .ts entry is loaded through tsx's tsImport, since Node 20 applies `--import tsx` hooks to
 * the main thread only.
 */
function workerEntry(): { script: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // import.meta.resolve finds tsx beside these sources; where a test runner leaves it out, the
    // bare name resolves from the working directory (the repository, in its tests).
    const api = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
    const script = new URL('./project-worker.ts', here).href;
    return { script: `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(script)}, ${JSON.stringify(script)}))`, eval: true };
  }
  return { script: new URL(here.includes('/chunks/') ? '../project-worker.js' : './project-worker.js', here), eval: false };
}
