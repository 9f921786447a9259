// Section 6 of the bench: the fleet scenario (bench/children/fleet.ts), both delivery modes on the same
// simulated fleet, as figures: fleet mode as the value, the direct mode as its baseline.
import type { FleetResult, FleetScenario } from './children/fleet.js';
import { figure, type Figure } from './lib/stats.js';

const ATLAS = { threads: 16, readMs: 8, readMsPerName: 0.2, writeMs: 15, writeMsPerEntity: 1 };
// As serverless.yml's retryWorker event source (window 5 s, maximumConcurrency 2), with fleet mode's larger batches.
const QUEUE = { sendMs: 10, batchWindowMs: 5_000, batchSize: 1_000, workers: 2 };

/** The fleet (10,000 jobs for an hour, 2,000 restarted at once); the short form is a tenth of it for ten minutes. */
export const fleetScenario = (short: boolean): FleetScenario => ({
  jobs: short ? 1_000 : 10_000,
  minutes: short ? 10 : 60,
  stormJobs: short ? 200 : 2_000,
  redeploysPerMinute: short ? 1 : 10,
  checkpointIntervalSeconds: 300,
  confirmDelaySeconds: 60,
  maxConcurrency: 4,
  atlas: ATLAS,
  queue: QUEUE,
  seed: 19,
  checkJobs: short ? 30 : 100,
});

const DIRECT = 'direct mode (same events)';

export const fleetFigures = (r: FleetResult): Figure[] => {
  const { scenario: s, direct: d, fleet: f } = r;
  const label = `${s.jobs.toLocaleString('en-US')} jobs, ${s.minutes} simulated min, storm of ${s.stormJobs.toLocaleString('en-US')}, ${f.events.toLocaleString('en-US')} events`;
  if (d.atlasErrors + f.atlasErrors > 0) throw new Error(`the fleet scenario hit Atlas errors: ${d.atlasErrors} direct, ${f.atlasErrors} fleet`);
  if (r.statusMismatches > 0) throw new Error(`fleet mode left ${r.statusMismatches} runs with another status than the direct mode`);
  if (r.maxCheckpointLagMs > s.checkpointIntervalSeconds * 1000) {
    throw new Error(`fleet mode left checkpoint counters ${r.maxCheckpointLagMs} ms behind, more than the ${s.checkpointIntervalSeconds} s interval`);
  }
  return [
    figure({
      section: '6',
      name: `fleet mode: Atlas calls per second, mean (${label}; ${f.atlasCalls.toLocaleString('en-US')} calls vs ${d.atlasCalls.toLocaleString('en-US')})`,
      value: f.callsPerSecondMean,
      unit: 'calls/s',
      baselineName: DIRECT,
      baseline: d.callsPerSecondMean,
      budget: { on: 'ratio', max: 1 / 15, text: '≤ 1/15 of direct', gatesCi: true },
    }),
    figure({
      section: '6',
      name: 'fleet mode: Atlas calls per second, peak (busiest simulated second)',
      value: f.callsPerSecondPeak,
      unit: 'calls/s',
      baselineName: DIRECT,
      baseline: d.callsPerSecondPeak,
    }),
    figure({
      section: '6',
      name: `fleet mode: peak concurrent Atlas requests (bound: ATLAS_MAX_CONCURRENCY ${s.maxConcurrency} × ${s.queue.workers} worker invocations)`,
      value: f.peakInFlight,
      unit: 'requests',
      baselineName: DIRECT,
      baseline: d.peakInFlight,
      budget: { on: 'value', max: r.bound, text: `≤ ${r.bound}`, gatesCi: true },
    }),
    figure({
      section: '6',
      name: `fleet mode: status change visible in Atlas, p50 (${f.statusChanges.toLocaleString('en-US')} changes, simulated time)`,
      value: f.visibleMs.p50,
      unit: 'ms',
      baselineName: DIRECT,
      baseline: d.visibleMs.p50,
    }),
    figure({
      section: '6',
      name: 'fleet mode: status change visible in Atlas, p99 (simulated time)',
      value: f.visibleMs.p99,
      unit: 'ms',
      baselineName: DIRECT,
      baseline: d.visibleMs.p99,
      budget: { on: 'value', max: 10_000, text: '≤ 10 s', gatesCi: true },
    }),
    figure({
      section: '6',
      name: 'fleet mode: Lambda milliseconds per event (simulated invocation time, webhook and worker, + the bridge CPU measured)',
      value: f.invocationMsPerEvent + f.bridgeCpuMsPerEvent,
      unit: 'ms',
      baselineName: DIRECT,
      baseline: d.invocationMsPerEvent + d.bridgeCpuMsPerEvent,
    }),
  ];
};
