/**
 * One runner for every suite. `npm test` runs unit and embedded integration tests; the PostgreSQL/Redis suites run
 * when TEST_DATABASE_URL and TEST_REDIS_URL are set, the browser suite when E2E_CHROMIUM names a Chromium binary
 * (.ci/run sets all three and fails if those services or the browser are missing).
 */
import { defineConfig } from 'vitest/config';

const withServices = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);
const withBrowser = Boolean(process.env.E2E_CHROMIUM);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', '**/*.pg.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['apps/server/src/**/*.int.test.ts', 'apps/server/test/**/*.int.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // attacks that comparable products suffered (issue #11): a real server, each attack must fail and leak
          // nothing. `*.security.test.ts` matches neither the unit nor the integration pattern, so each runs once.
          name: 'security',
          include: ['apps/server/test/security/**/*.security.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(withServices
        ? [
            {
              test: {
                name: 'postgres-redis',
                include: ['apps/server/**/*.pg.test.ts'],
                testTimeout: 60_000,
                hookTimeout: 120_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
      ...(withBrowser
        ? [
            {
              test: {
                name: 'e2e',
                include: ['e2e/**/*.e2e.test.ts'],
                testTimeout: 90_000,
                hookTimeout: 180_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
