import { Arena } from '../../memory/arena.js';
import type { Handle } from '../../memory/handle.js';
import { WasmStorage } from '../../memory/storage.js';
import type { Runtime } from '../runtime.js';
import { preferredWasmBuild, type WasmBuild } from '../wasm/instantiate.js';
import { parallelGemms, type GemmTeam } from './parallel-gemm.js';
import { instantiateShared, MAX_SHARED_PAGES, sharedModule, type SharedWasmExports } from './shared-module.js';
import { WorkerPool } from './worker-pool.js';

/** A Wasm runtime on a shared memory whose large GEMMs run across `threads` threads (main + workers). */
export interface ThreadedRuntime extends Runtime {
  readonly name: 'wasm';
  /** Threads running GEMMs now, the calling thread included. */
  readonly threads: number;
  /** Terminates the current workers and starts `threads - 1` new ones (1: none). */
  setThreads(threads: number): Promise<void>;
}

/** Same initial heap as the single-thread runtime (4 MiB); it grows on demand up to MAX_SHARED_PAGES. */
const INITIAL_PAGES = 64;
/**
 * Products under 2·m·n·k = 8 MFLOP stay on one thread. bench/threads.bench.ts measured a hand-off
 * (post, wake, wait) of ~30–60 µs on the shared machine; a product must take more than about
 * twice that on one thread (~4 MFLOP at 30 GFLOP/s) before halving it can pay, and 8 MFLOP keeps
 * a margin. Every GEMM of W3 (≥ 134 MFLOP) is far above it. Provisional: the machine it was
 * measured on had no free second core (bench/README.md, Threads).
 */
export const DEFAULT_MIN_FLOPS = 8e6;
const SCRATCH_ALIGN = 64;

class Team implements GemmTeam {
  pool: WorkerPool | null = null;
  private scratch: Handle[] = [];

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly arena: Arena,
    private readonly scratchBytes: number,
    readonly minFlops: number,
  ) {}

  get threads(): number {
    return (this.pool?.size ?? 0) + 1;
  }

  async resize(threads: number): Promise<void> {
    await this.release();
    if (threads <= 1) return;
    // Each worker's GEMM scratch is an arena region, so the arena never hands it to a model.
    this.scratch = Array.from({ length: threads - 1 }, () => this.arena.alloc((this.scratchBytes + SCRATCH_ALIGN) / 4));
    const bases = this.scratch.map((handle) => Math.ceil(handle.offset / SCRATCH_ALIGN) * SCRATCH_ALIGN);
    try {
      this.pool = await WorkerPool.start({ module: this.module, memory: this.memory }, bases);
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  private async release(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.terminate();
    for (const handle of this.scratch.splice(0)) this.arena.release(handle);
  }
}

/**
 * Starts the shared-memory kernel module on the main thread and `threads - 1` workers. Rejects
 * (StateError) if a worker cannot start; callers check `threadsUnavailableReason()` first.
 */
export async function createThreadedRuntime(threads: number, build: WasmBuild = preferredWasmBuild(), minFlops = DEFAULT_MIN_FLOPS): Promise<ThreadedRuntime> {
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_SHARED_PAGES, shared: true });
  const module = sharedModule(build);
  const main: SharedWasmExports = instantiateShared(module, memory);
  const arena = new Arena(new WasmStorage(memory), main.heapBase());
  const team = new Team(module, memory, arena, main.scratchBytes(), minFlops);
  await team.resize(threads);
  return {
    name: 'wasm',
    kernels: { ...main, ...parallelGemms(main, team) },
    arena,
    wasmBuild: build,
    get threads() {
      return team.threads;
    },
    setThreads: (count) => team.resize(count),
  };
}
