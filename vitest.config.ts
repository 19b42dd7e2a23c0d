import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { TEST_TMPDIR } from './test/global-setup.ts';

/** Shell and Python files imported as their text, as esbuild's `text` loader does for Lambda. */
const textFiles: Plugin = {
  name: 'bakehouse-text-files',
  enforce: 'pre',
  load(id) {
    const path = id.split('?')[0] ?? id;
    if (!/\.(?:sh|py)$/.test(path)) return null;
    return { code: `export default ${JSON.stringify(readFileSync(path, 'utf8'))};`, map: null };
  },
};

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    env: { TMPDIR: TEST_TMPDIR },
    projects: [
      {
        plugins: [textFiles],
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/instance/**', 'test/contract/**'],
          setupFiles: ['test/setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [textFiles],
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/contract/moto-server.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [textFiles],
        test: {
          name: 'faults',
          include: ['test/faults/**/*.faults.ts'],
          setupFiles: ['test/setup.ts'],
          testTimeout: 3_600_000,
        },
      },
      {
        plugins: [textFiles],
        test: {
          name: 'idle',
          include: ['test/instance/seat-idle.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
      {
        plugins: [textFiles],
        test: {
          name: 'instance',
          include: ['test/instance/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
