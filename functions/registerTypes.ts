// Invoked by deploy pipelines (`serverless invoke -f registerTypes`): registers the bridge's Atlas types.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { registerTypes, type TypeRegistrationReport } from '../lib/atlas/index.js';
import { loadRuntime } from '../lib/runtime/index.js';
import { logger } from '../lib/telemetry/index.js';

export const handler = middy<unknown, TypeRegistrationReport>().use(injectLambdaContext(logger, { resetKeys: true })).handler(async () => {
  const report = await registerTypes((await loadRuntime()).atlas);
  logger.info('types registered', { ...report });
  if (report.conflicts.length > 0) throw new Error(`Atlas holds incompatible typedefs: ${report.conflicts.join('; ')}`);
  return report;
});
