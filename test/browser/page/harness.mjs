// What a test asks a page (or Node, through ../node-run.mjs) to do with one bundle entry.
import { forwardAll } from './forward-cases.mjs';

/**
 * Imports `entry`, starts the backend (`choice` undefined = plain `init()`), and returns the
 * backend's name as `init` and `backend()` report it, with the forward results.
 */
export async function run(entry, choice) {
  const lib = await import(entry);
  const started = await lib.init(choice === undefined ? undefined : { backend: choice });
  return { init: started, backend: lib.backend(), forward: forwardAll(lib) };
}

/** The message `init({ backend: choice })` rejects with, or null when it starts. */
export async function initError(entry, choice) {
  const lib = await import(entry);
  try {
    await lib.init({ backend: choice });
    return null;
  } catch (error) {
    return String(error.message);
  }
}
