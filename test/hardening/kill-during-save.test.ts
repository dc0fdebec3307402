import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/io/save-load.js';
import { Random } from '../../src/random.js';
import { bigModel } from './fixtures/big-model.js';

/*
 * Nothing lost on disk: a child process saves a ~0.8 MB model in a loop and is killed with SIGKILL
 * at seeded random moments; after every kill the file at the path is a complete, loadable model
 * (the last save reported done, or the one after it), never a torn mix.
 */

const KILLS = 5;
const SCRIPT = fileURLToPath(new URL('./fixtures/save-loop.ts', import.meta.url));

/** Runs the save loop until `delayMs` after its first save, kills it; resolves with the last save it reported. */
function saveUntilKilled(path: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastSaved = 0;
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const match of chunk.matchAll(/saved (\d+)/g)) {
        if (lastSaved === 0) setTimeout(() => child.kill('SIGKILL'), delayMs);
        lastSaved = Number(match[1]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(lastSaved) : reject(new Error(`save loop exited by itself: ${stderr}`))));
  });
}

describe('SIGKILL during save', () => {
  let folder = '';
  afterAll(async () => {
    if (folder !== '') await rm(folder, { recursive: true, force: true });
  });

  it(`leaves a complete, loadable file after each of ${KILLS} kills`, async () => {
    folder = await mkdtemp(join(tmpdir(), 'wasm-rnn-kill-'));
    const path = join(folder, 'model.json');
    const reference = bigModel();
    const expected = Object.fromEntries(Object.entries(reference.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
    reference.dispose();
    const random = new Random(2026);
    const outcomes: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const delayMs = Math.floor(random.uniform(0, 300));
      const lastSaved = await saveUntilKilled(path, delayMs);
      const loaded = await loadModel(path);
      expect(loaded.kind).toBe('sequential');
      // The file is the last save reported done, or the one in flight when the kill came (its rename done).
      expect(loaded.epochsTrained).toBeGreaterThanOrEqual(lastSaved);
      expect(loaded.epochsTrained).toBeLessThanOrEqual(lastSaved + 1);
      if (loaded.kind === 'sequential') {
        expect(Object.fromEntries(Object.entries(loaded.stateDict()).map(([k, t]) => [k, Array.from(t.data)]))).toEqual(expected);
      }
      loaded.dispose();
      outcomes.push(`kill after ${delayMs} ms: ${lastSaved} saves reported, file holds save ${loaded.epochsTrained}`);
    }
    const leftovers = (await readdir(folder)).filter((name) => name.endsWith('.tmp')).length;
    console.log(`kill during save: ${outcomes.join('; ')}; ${leftovers} temporary file(s) left by killed writes`);
  });
});
