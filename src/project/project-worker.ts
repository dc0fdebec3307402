// The worker thread's entry: starts the backend the main thread runs on, then trains the
// candidates it is sent, one at a time, posting each epoch's losses and the result.
// Built as its own entry (dist/project-worker.js); from source it is loaded through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { init, type BackendChoice } from '../kernels/backend.js';
import { trainCandidate, type CandidateJob } from './train-candidate.js';
import type { WorkerMessage } from './worker-messages.js';

const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

await init({ backend: (workerData as { backend: BackendChoice }).backend });
port.on('message', (job: CandidateJob) => {
  trainCandidate(job, (report) => post({ type: 'epoch', report })).then(
    (result) => post({ type: 'result', result }),
    (error: unknown) => post({ type: 'error', index: job.candidate.index, name: (error as Error).name ?? 'Error', message: (error as Error).message ?? String(error) }),
  );
});
post({ type: 'ready' });
