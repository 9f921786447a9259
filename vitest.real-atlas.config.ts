import { defineConfig } from 'vitest/config';

// npm run test:atlas only (atlas-server/run.sh starts the server and sets REAL_ATLAS_URL).
export default defineConfig({
  test: {
    include: ['test/real-atlas/**/*.real.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
  },
});
