import { defineConfig } from 'vitest/config';

// test/browser: the built bundles (dist/, from `npm run build`) in headless Chromium and in a
// bundler. Kept apart from vitest.config.ts because these tests need the build first.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    // One Chromium at a time on a shared 2-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
