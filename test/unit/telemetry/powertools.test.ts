import { afterEach, describe, expect, it, vi } from 'vitest';
import { count, countByReason, metrics, MetricUnit, SERVICE_NAME } from '../../../lib/telemetry/powertools.js';

/** Every metric recorded on any Metrics instance of the module, in order. */
const recordMetrics = () => {
  const recorded: Array<{ name: string; unit: string; value: number; reason?: string }> = [];
  let reason: string | undefined;
  const proto = Object.getPrototypeOf(metrics) as typeof metrics;
  vi.spyOn(proto, 'addDimension').mockImplementation(function (this: typeof metrics, name: string, value: string) {
    if (name === 'reason') reason = value;
    return this;
  });
  vi.spyOn(proto, 'addMetric').mockImplementation(function (this: typeof metrics, name, unit, value) {
    recorded.push({ name, unit, value, ...(this === metrics ? {} : { reason: reason ?? '' }) });
    return this;
  });
  return recorded;
};

describe('telemetry', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names the service', () => {
    expect(SERVICE_NAME).toBe('flink-atlas-bridge');
  });

  it('counts only what happened: a zero count records nothing', () => {
    const recorded = recordMetrics();
    count('EventsWritten', 0);
    count('EventsWritten', 3);
    expect(recorded).toEqual([{ name: 'EventsWritten', unit: MetricUnit.Count, value: 3 }]);
  });

  it('counts by reason on its own single-metric instance, under the reason dimension', () => {
    const recorded = recordMetrics();
    countByReason('Rejected', 'SIGNATURE_MISMATCH');
    countByReason('Rejected', 'INVALID_EVENT', 0);
    countByReason('Rejected', 'INVALID_EVENT', 2);
    expect(recorded).toEqual([
      { name: 'Rejected', unit: MetricUnit.Count, value: 1, reason: 'SIGNATURE_MISMATCH' },
      { name: 'Rejected', unit: MetricUnit.Count, value: 2, reason: 'INVALID_EVENT' },
    ]);
  });
});
