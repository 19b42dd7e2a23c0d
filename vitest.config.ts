import { defineConfig } from 'vitest/config';
import { TEST_TMPDIR } from './test/global-setup.ts';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    env: { TMPDIR: TEST_TMPDIR },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/instance/**', 'test/contract/**'],
          setupFiles: ['test/setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/contract/moto-server.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
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
