/**
 * The benches' clock. By default tinybench's wall clock. With `--cpu-time`, this process's CPU
 * time (user + system, from process.cpuUsage, µs resolution): on the shared 2-core machine, where
 * the load average often exceeds the core count several times over, wall time mostly measures
 * the wait for a core, while CPU time still measures the work (cache and SMT interference from
 * the neighbours remain, so it reads a little high). The kernels are single-threaded, so on an
 * idle machine both clocks agree.
 */
export const useCpuTime = process.argv.includes('--cpu-time');

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The `now` option for tinybench, or undefined for its default clock. */
export const benchClock: (() => number) | undefined = useCpuTime ? cpuMs : undefined;

/** How the tables label their times. */
export const clockLabel = useCpuTime ? 'process CPU time (--cpu-time)' : 'wall time';
