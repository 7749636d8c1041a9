/** The rollup on PostgreSQL (two runs at once on separate connections): see analytics-rollup.scenario.ts. */
import { startTestApp } from '../../../test/harness.ts';
import { createTestDatabase } from '../../../test/pg-database.ts';
import { rollupSuite } from './analytics-rollup.scenario.ts';

rollupSuite(async () => {
  const database = await createTestDatabase();
  const app = await startTestApp({ DATABASE_URL: database.url, REDIS_URL: process.env.TEST_REDIS_URL as string });
  return {
    app,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
});
