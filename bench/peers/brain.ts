/**
 * brain.js 1.6.1's time-step networks (LSTMTimeStep, GRUTimeStep, RNNTimeStep). They read one
 * sequence at a time (no batch: a batch is B sequences one after the other, each with its own
 * weight update), predict the next step from each step through a Dense head with as many outputs
 * as inputs, and train with their own RMSprop-like update. So brain.js expresses the workloads
 * with a Dense head per step and outputs = inputs (W1, W2) with the same matrix products, not
 * W3's last-step softmax classifier. Its LSTM has no separate cell state and its RNN is ReLU, so
 * the numbers are not comparable: speed only, with its own weights.
 */
import brain from 'brain.js';
import type { Peer, PreparedCase } from './peer.js';
import type { Workload, WorkloadData } from './workloads.js';

interface TimeStepNet {
  formatData(data: number[][]): Float32Array[][];
  train(data: number[][][], options: { iterations: number }): unknown;
  trainPattern(sequence: Float32Array[], logErrorRate: boolean): number;
  run(sequence: number[][]): unknown;
}
type TimeStepClass = new (options: { inputSize: number; hiddenLayers: number[]; outputSize: number }) => TimeStepNet;

const recurrent = (brain as unknown as { recurrent: Record<string, TimeStepClass> }).recurrent;
const NETS: Record<Workload['cell'], TimeStepClass> = { LSTM: recurrent.LSTMTimeStep!, GRU: recurrent.GRUTimeStep!, SimpleRNN: recurrent.RNNTimeStep! };

/** Sample b of x as T steps of I numbers. */
function sequence(w: Workload, data: WorkloadData, b: number): number[][] {
  return Array.from({ length: w.steps }, (_, t) => Array.from(data.x.subarray((b * w.steps + t) * w.inputSize, (b * w.steps + t + 1) * w.inputSize)));
}

function prepareBrain(w: Workload, data: WorkloadData): PreparedCase | string {
  if (w.head !== 'sequence' || w.outputs !== w.inputSize) return 'cannot express it (no last-step classifier)';
  const net = new NETS[w.cell]({ inputSize: w.inputSize, hiddenLayers: [w.hidden], outputSize: w.outputs });
  const runs = Array.from({ length: w.batch }, (_, b) => sequence(w, data, b));
  // Training predicts step t+1 from step t: T + 1 steps give T trained steps.
  const trains = runs.map((steps) => net.formatData([...steps, steps[0]!])[0]!);
  // Builds the model (train with 0 iterations), then binds its per-step equations (one pattern): run() needs both.
  net.train([[...runs[0]!, runs[0]![0]!]], { iterations: 0 });
  net.trainPattern(trains[0]!, false);
  return {
    forward: () => {
      for (const steps of runs) net.run(steps);
    },
    train: () => {
      let error = 0;
      for (const steps of trains) error += net.trainPattern(steps, true);
      return error / trains.length;
    },
    lastOutput: null,
    dispose: () => {},
  };
}

export const brainPeer: Peer = { name: 'brain.js', id: 'brain', prepare: async (w, data) => prepareBrain(w, data) };
