// One structured JSON logger for every function (Powertools Logger: JSON lines, Lambda context, levels via
// POWERTOOLS_LOG_LEVEL). Never log secrets or whole payloads: ids, names, outcomes, timings.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'flink-atlas-bridge' });
