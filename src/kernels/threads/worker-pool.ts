import { StateError } from '../../errors.js';
import { ARG_SLOTS, CONTROL_INTS, DONE, FAILED, OPS, REQUEST, STOP, type GemmOp, type WorkerStart } from './protocol.js';
import { browserWorkerSource, nodeWorkerSource } from './worker-source.js';

/** What the pool needs from a Node worker_threads Worker or a browser Worker. */
interface WorkerHandle {
  post(message: WorkerStart): void;
  onMessage(listener: (message: { ready?: boolean; error?: string }) => void): void;
  onFailure(listener: (error: unknown) => void): void;
  /** Once ready. Node: stop keeping the process alive (it exits with workers idle); browser: free the Blob URL. */
  started(): void;
  terminate(): Promise<unknown>;
}

interface Thread {
  readonly handle: WorkerHandle;
  readonly control: Int32Array;
  readonly args: Float64Array;
  sequence: number;
}

/** Start-up bound: a worker that is not ready by then (blocked page, broken engine) is an error, never a hang. */
const START_TIMEOUT_MS = 20_000;
/** Job bound: generous (a slow, shared machine), scaled with the work; past it the job is an error, never a hang. */
const JOB_TIMEOUT_BASE_MS = 30_000;
const JOB_TIMEOUT_MS_PER_GFLOP = 10_000;

/**
 * Worker threads that each run GEMM slices on the shared memory. The main thread posts a job
 * with `post`, computes its own slice, then `wait`s: Atomics.wait where the thread may block
 * (Node, or a worker), else a bounded spin on Atomics.load (a browser's main thread may not block).
 */
export class WorkerPool {
  private constructor(private readonly threads: Thread[]) {}

  static async start(startValues: Omit<WorkerStart, 'control' | 'args' | 'scratch'>, scratchBases: readonly number[]): Promise<WorkerPool> {
    const threads: Thread[] = [];
    try {
      for (const scratch of scratchBases) {
        const control = new SharedArrayBuffer(CONTROL_INTS * 4);
        const args = new SharedArrayBuffer(ARG_SLOTS * 8);
        const handle = await spawn();
        threads.push({ handle, control: new Int32Array(control), args: new Float64Array(args), sequence: 0 });
        await ready(handle, { ...startValues, control, args, scratch });
      }
    } catch (error) {
      await Promise.all(threads.map((thread) => stop(thread)));
      throw error;
    }
    return new WorkerPool(threads);
  }

  get size(): number {
    return this.threads.length;
  }

  /** Posts `op(args)` to worker `index`; returns at once. */
  post(index: number, op: GemmOp, args: readonly number[]): void {
    const thread = this.threads[index]!;
    thread.args[0] = OPS.indexOf(op);
    for (let i = 0; i < args.length; i++) thread.args[i + 1] = args[i]!;
    thread.sequence++;
    Atomics.store(thread.control, REQUEST, thread.sequence);
    Atomics.notify(thread.control, REQUEST);
  }

  /** Returns when worker `index` has finished its last job; throws StateError if it failed or overran. */
  wait(index: number, flops: number): void {
    const thread = this.threads[index]!;
    const limit = JOB_TIMEOUT_BASE_MS + (flops / 1e9) * JOB_TIMEOUT_MS_PER_GFLOP;
    const started = performance.now();
    for (;;) {
      const done = Atomics.load(thread.control, DONE);
      if (done === thread.sequence) break;
      if (performance.now() - started > limit) {
        throw new StateError(`threads: worker ${index + 1} did not finish a GEMM of ${flops} FLOP within ${Math.round(limit)} ms; call init({ threads: 1 }) to run on one thread`);
      }
      if (canBlock()) Atomics.wait(thread.control, DONE, done, 50);
    }
    if (Atomics.load(thread.control, FAILED) !== 0) {
      throw new StateError(`threads: a kernel failed in worker ${index + 1}; call init({ threads: 1 }) to run on one thread`);
    }
  }

  /** Tells every worker to stop and terminates it. */
  async terminate(): Promise<void> {
    await Promise.all(this.threads.splice(0).map((thread) => stop(thread)));
  }
}

async function stop(thread: Thread): Promise<void> {
  Atomics.store(thread.control, REQUEST, STOP);
  Atomics.notify(thread.control, REQUEST);
  await thread.handle.terminate();
}

function ready(handle: WorkerHandle, start: WorkerStart): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new StateError(`threads: a worker did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(new StateError(`threads: a worker failed to start: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
    };
    handle.onFailure(fail);
    handle.onMessage((message) => {
      if (message.error !== undefined) fail(new Error(message.error));
      if (message.ready !== true) return;
      clearTimeout(timer);
      // Kept referenced until ready so that `await init({ threads })` holds the event loop open.
      handle.started();
      resolve();
    });
    handle.post(start);
  });
}

function isNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
}

async function spawn(): Promise<WorkerHandle> {
  if (isNode()) {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(nodeWorkerSource, { eval: true });
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.on('message', listener),
      onFailure: (listener) => {
        worker.on('error', listener);
        worker.on('exit', (code) => listener(new Error(`exited with code ${code}`)));
      },
      started: () => worker.unref(),
      terminate: () => worker.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([browserWorkerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener((event as MessageEvent).data)),
    onFailure: (listener) => worker.addEventListener('error', (event) => listener((event as ErrorEvent).error ?? new Error((event as ErrorEvent).message))),
    started: () => URL.revokeObjectURL(url),
    terminate: async () => worker.terminate(),
  };
}

let blocking: boolean | undefined;

/** Whether this thread may block in Atomics.wait: not on a browser's main thread. Probed once. */
function canBlock(): boolean {
  if (blocking === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}
