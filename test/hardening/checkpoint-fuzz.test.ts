import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WasmRnnError } from '../../src/errors.js';
import { ModelFileError } from '../../src/io/model-file-error.js';
import { createWasmRuntime } from '../../src/kernels/runtime.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { TrainingRun } from '../../src/model/training-run.js';
import { readCheckpoint } from '../../src/train/checkpoint-file.js';
import { hostileJson, type HostileFile } from './model-file-mutations.js';

/*
 * Damaged and hostile checkpoint files, read against the model that wrote them: each one is read
 * or refused with a ModelFileError (or, when the damage turns it into the checkpoint of another
 * fit, an OptionError/ValueError), never another exception; every read is quick, and no prototype
 * is polluted. FUZZ_RUNS / 5 cases (2,000 by default; `npm run test:long` runs more).
 */

const RUNS = Math.ceil(Number(process.env.FUZZ_RUNS ?? 10_000) / 5);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const MAX_READ_MS = 500;

describe('checkpoint file fuzz', () => {
  it(`${RUNS} hostile checkpoints: read or a typed error, fast, no pollution`, async () => {
    const runtime = createWasmRuntime();
    const model = sequential([layers.gru({ units: 3, inputShape: [null, 2], dropout: 0.1 }), layers.dense({ units: 1 })], { seed: 1, runtime });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const folder = mkdtempSync(join(tmpdir(), 'wasm-rnn-checkpoint-fuzz-'));
    const path = join(folder, 'checkpoint.json');
    const x = [[[1, 0], [2, 1]], [[0, 1], [1, 1]], [[3, 1], [0, 0]], [[1, 1], [2, 2]]];
    const y = [[1], [0], [1], [0]];
    const earlyStopping = { patience: 5, restoreBest: true };
    await model.fit(x, y, { epochs: 2, batchSize: 2, seed: 1, verbose: 0, earlyStopping, checkpoint: { path } });
    const text = readFileSync(path, 'utf8');
    rmSync(folder, { recursive: true, force: true });
    const run = new TrainingRun(model, {
      data: null as never, trainCount: 4, validation: null, batchSize: 2, tbptt: null, shuffle: true, checkpoint: null,
      earlyStopping: { monitor: 'loss', patience: 5, minDelta: 0, restoreBest: true } as never,
    });
    const identity = run.checkpointIdentity();
    expect(readCheckpoint('fuzz', text, identity).loop.nextEpoch).toBe(2);

    const counts: Record<string, { read: number; refused: number; otherFit: number }> = {};
    let maxMs = 0;
    fc.assert(
      fc.property(hostileJson(text, false), (file: HostileFile) => {
        const t0 = performance.now();
        const tally = (counts[file.kind] ??= { read: 0, refused: 0, otherFit: 0 });
        try {
          readCheckpoint('fuzz', file.input as string, identity);
          tally.read++;
        } catch (error) {
          if (!(error instanceof WasmRnnError)) throw new Error(`${file.kind}: ${String(error)}`, { cause: error });
          tally[error instanceof ModelFileError ? 'refused' : 'otherFit']++;
          if (file.kind === 'duplicate key') expect(error).toBeInstanceOf(ModelFileError);
        }
        const ms = performance.now() - t0;
        maxMs = Math.max(maxMs, ms);
        expect(ms, `${file.kind} took ${ms} ms`).toBeLessThan(MAX_READ_MS);
        expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`checkpoint fuzz: ${RUNS} files, slowest read ${maxMs.toFixed(1)} ms`, counts);
    expect(counts['duplicate key']!.read).toBe(0);
    model.dispose();
  });
});
