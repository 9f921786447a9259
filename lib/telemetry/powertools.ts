// One structured JSON logger and one metrics emitter (CloudWatch EMF) for every function, Powertools both; the
// functions put them in front through Powertools' middy middlewares (injectLambdaContext, logMetrics).
// Log levels via POWERTOOLS_LOG_LEVEL; metrics off with POWERTOOLS_METRICS_DISABLED=true (the tests do).
// Never log secrets, Authorization headers or whole payloads: ids, names, outcomes, timings.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const SERVICE_NAME = 'flink-atlas-bridge';

export const logger = new Logger({ serviceName: SERVICE_NAME });

const NAMESPACE = process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'FlinkAtlasBridge';

export const metrics = new Metrics({ namespace: NAMESPACE, serviceName: SERVICE_NAME });

// Counts with a `reason` dimension are each published at once as their own EMF document. One instance in single-metric
// mode does that for all of them: `metrics.singleMetric()` builds a new Metrics (a Console, environment reads) per
// call, which doubled the CPU of answering a rejected request. Publishing clears the dimension for the next count.
const metricsByReason = new Metrics({ namespace: NAMESPACE, serviceName: SERVICE_NAME, singleMetric: true });

export { MetricUnit };

/** Adds a count, skipping zeros (an EMF document per flush holds only what happened). */
export const count = (name: string, value: number): void => {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
};

/** A count under its own `reason` dimension (rejections by reason), published at once as its own EMF document. */
export const countByReason = (name: string, reason: string, value = 1): void => {
  if (value <= 0) return;
  metricsByReason.addDimension('reason', reason);
  metricsByReason.addMetric(name, MetricUnit.Count, value);
};
