export { count, countByReason, logger, metrics, MetricUnit, SERVICE_NAME } from './powertools.js';
