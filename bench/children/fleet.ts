// The fleet scenario (issue 19): a simulated fleet of Flink jobs for a simulated hour at the emulator, in the
// direct mode (each webhook writes its event: one read, one write) and in fleet mode (the webhook queues, the
// worker coalesces what it drains, Atlas calls bounded), side by side on the same events.
import { randomUUID } from 'node:crypto';
import type { JobStatus, JobStatusEvent, LineageDataset, NativeEvent } from '../../lib/contract/index.js';
import { deliverEvents } from '../../lib/ingest/deliverEvents.js';
import { writeFleetBatch } from '../../lib/ingest/fleetWrite.js';
import { writeEvents, type IndexedEvent } from '../../lib/ingest/writeEvents.js';
import type { NamingContext } from '../../lib/mapping/index.js';
import { retryMessageBodySchema, toBodies } from '../../lib/queue/index.js';
import type { AtlasEntity, AtlasPort } from '../../lib/atlas/index.js';
import { EmulatorStore, FastStore, SimAtlas, SimClock, SimQueue, type AtlasModel, type QueueModel } from '../lib/fleetSim.js';

export interface FleetScenario {
  jobs: number;
  minutes: number;
  /** Jobs restarted at once halfway through (a cluster failover). */
  stormJobs: number;
  /** Jobs redeployed per minute (cancel, new run, deployment): the fleet's lifecycle changes. */
  redeploysPerMinute: number;
  checkpointIntervalSeconds: number;
  /** CONFIRM_DELAY_SECONDS: the worker's confirmation pass of what changed Atlas. */
  confirmDelaySeconds: number;
  /** ATLAS_MAX_CONCURRENCY of each worker invocation. */
  maxConcurrency: number;
  atlas: AtlasModel;
  queue: QueueModel;
  seed: number;
  /** Jobs of the small fleet run on both stores, to check that the fast store draws the emulator's calls. */
  checkJobs: number;
}

export interface ModeResult {
  events: number;
  atlasCalls: number;
  reads: number;
  writes: number;
  callsPerSecondMean: number;
  callsPerSecondPeak: number;
  peakInFlight: number;
  statusChanges: number;
  visibleMs: { p50: number; p99: number; max: number };
  /** Simulated invocation time (waiting for Atlas or SQS) per event. */
  invocationMsPerEvent: number;
  /** Real CPU of the bridge's code (and the simulator) per event, measured. */
  bridgeCpuMsPerEvent: number;
  invocations: number;
  realSeconds: number;
  atlasErrors: number;
}

export interface FleetResult {
  scenario: FleetScenario;
  direct: ModeResult;
  fleet: ModeResult;
  bound: number;
  /** Runs whose final status differs between the modes (must be 0), and the largest checkpoint lag in fleet mode. */
  statusMismatches: number;
  maxCheckpointLagMs: number;
  /** The small fleet's Atlas calls (direct, fleet) on the emulator and on the fast store: equal, or the run fails. */
  storeCheck: { jobs: number; emulator: [number, number]; fast: [number, number] };
}

type Store = AtlasPort & { ownMs: number; all(): AtlasEntity[] };
type StoreKind = 'emulator' | 'fast';
const newStore = (kind: StoreKind): Store => {
  if (kind === 'fast') return new FastStore();
  const store = new EmulatorStore();
  return Object.assign(store, { all: () => store.backend.allEntities() });
};

const naming: NamingContext = { atlasNamespace: 'primary', namespaceOverrides: {} };
const START = Date.parse('2026-12-01T08:00:00.000Z');

/** mulberry32: the same fleet every run. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

interface Arrival {
  /** Simulated ms since the start. */
  at: number;
  event: NativeEvent;
  /** A lifecycle change whose visibility is measured. */
  statusChange: boolean;
}

const jobIdOf = (random: () => number): string => Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');

/** The events of the fleet's hour, in arrival order; and the RUNNING state it starts from. */
export const fleetWorkload = (s: FleetScenario): { seed: NativeEvent[]; arrivals: Arrival[] } => {
  const random = prng(s.seed);
  const lineageOf = (i: number): { sources: LineageDataset[]; sinks: LineageDataset[] } => ({
    sources: [{ namespace: 'kafka://kafka-prod:9092', name: `events-${i % 1000}`, schema: { fields: [{ name: 'id', type: 'STRING' }, { name: 'ts', type: 'BIGINT' }] } }],
    sinks: [{ namespace: 'kafka://kafka-prod:9092', name: `enriched-${i}`, schema: { fields: [{ name: 'id', type: 'STRING' }, { name: 'total', type: 'DOUBLE' }] } }],
  });
  const jobs = Array.from({ length: s.jobs }, (_, i) => ({ name: `job-${i}`, id: jobIdOf(random), phase: random() * 60_000, completed: 0, lineage: lineageOf(i) }));
  const status = (job: (typeof jobs)[number], st: JobStatus, at: number, extra: Partial<JobStatusEvent> = {}): JobStatusEvent => ({
    type: 'job.status',
    eventId: randomUUID(),
    eventTime: new Date(START + at).toISOString(),
    cluster: 'flink-prod',
    job: { id: job.id, name: job.name, status: st, executionMode: 'STREAMING' },
    lineage: job.lineage,
    ...extra,
  });
  const seed = jobs.map((job) => status(job, 'RUNNING', -60_000));
  const arrivals: Arrival[] = [];
  const push = (at: number, event: NativeEvent, statusChange: boolean) => arrivals.push({ at, event, statusChange });
  const hour = s.minutes * 60_000;
  // Checkpoint chatter: openlineage-flink's RUNNING event with the checkpoint facet, once a minute per job.
  for (const job of jobs) {
    for (let at = job.phase; at < hour; at += 60_000) {
      job.completed += 1;
      push(at, { ...status(job, 'RUNNING', at), checkpoints: { completed: job.completed, failed: 0, inProgress: 1, restored: 0, total: job.completed + 1 } }, false);
    }
  }
  // The restart storm: a failover restarts stormJobs jobs within five seconds (FAILING, RESTARTING, RUNNING).
  const stormAt = hour / 2;
  for (const job of jobs.slice(0, s.stormJobs)) {
    const at = stormAt + random() * 5_000;
    push(at, status(job, 'FAILING', at, { error: { message: 'TaskManager lost: failover' } }), true);
    push(at + 200, status(job, 'RESTARTING', at + 200), true);
    push(at + 1_000 + random() * 4_000, status(job, 'RUNNING', at + 5_000), true);
  }
  // Lifecycle changes: jobs redeployed (the run cancelled, a deployment, a new run that starts).
  for (let minute = 0; minute < s.minutes; minute++) {
    for (let k = 0; k < s.redeploysPerMinute; k++) {
      const job = jobs[Math.floor(random() * jobs.length)]!;
      const at = minute * 60_000 + random() * 60_000;
      push(at, status(job, 'CANCELLING', at), true);
      push(at + 500, status(job, 'CANCELED', at + 500), true);
      const next = { ...job, id: jobIdOf(random) };
      push(at + 1_000, { type: 'job.deployment', eventId: randomUUID(), eventTime: new Date(START + at + 1_000).toISOString(), cluster: 'flink-prod', job: { name: job.name, id: next.id }, deployment: { version: `1.${minute}.${k}`, artifact: `s3://artifacts/${job.name}.jar` } }, true);
      push(at + 1_500, status(next, 'CREATED', at + 1_500), true);
      push(at + 3_000, status(next, 'RUNNING', at + 3_000), true);
    }
  }
  arrivals.sort((a, b) => a.at - b.at);
  return { seed, arrivals };
};

const percentileOf = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

const seedStore = async (store: Store, seed: readonly NativeEvent[]): Promise<void> => {
  for (let i = 0; i < seed.length; i += 200) {
    await writeEvents(seed.slice(i, i + 200).map((event, index) => ({ index, event })), store, naming);
  }
};

const summarize = (
  sim: SimAtlas,
  scenario: FleetScenario,
  arrivals: readonly Arrival[],
  visible: number[],
  invocationMs: number,
  invocations: number,
  realMs: number,
): ModeResult => {
  const sorted = [...visible].sort((a, b) => a - b);
  const events = arrivals.length;
  return {
    events,
    atlasCalls: sim.log.calls,
    reads: sim.log.reads,
    writes: sim.log.writes,
    callsPerSecondMean: sim.log.calls / (scenario.minutes * 60),
    callsPerSecondPeak: Math.max(0, ...sim.log.perSecond.values()),
    peakInFlight: sim.log.peakInFlight,
    statusChanges: visible.length,
    visibleMs: { p50: percentileOf(sorted, 50), p99: percentileOf(sorted, 99), max: sorted.at(-1) ?? Number.NaN },
    invocationMsPerEvent: invocationMs / events,
    bridgeCpuMsPerEvent: (realMs - sim.store.ownMs) / events,
    invocations,
    realSeconds: realMs / 1000,
    atlasErrors: sim.log.errors,
  };
};

/** A fresh store holding the fleet's starting state, and the simulated clock and Atlas in front of it. */
const startMode = async (scenario: FleetScenario, seed: readonly NativeEvent[], kind: StoreKind) => {
  const store = newStore(kind);
  await seedStore(store, seed);
  const clock = new SimClock();
  return { store, clock, atlas: new SimAtlas(clock, store, scenario.atlas), visible: [] as number[] };
};

/** Direct mode: each webhook (one event, as openlineage-flink posts them) writes its event before it answers. */
const runDirect = async (scenario: FleetScenario, seed: readonly NativeEvent[], arrivals: readonly Arrival[], kind: StoreKind): Promise<{ result: ModeResult; store: Store }> => {
  const { store, clock, atlas, visible } = await startMode(scenario, seed, kind);
  let invocationMs = 0;
  for (const arrival of arrivals) {
    clock.at(arrival.at, () => {
      void deliverEvents([{ index: 0, event: arrival.event }], { atlas, naming }).then(() => {
        invocationMs += clock.now - arrival.at;
        if (arrival.statusChange) visible.push(clock.now - arrival.at);
      });
    });
  }
  const started = performance.now();
  await clock.run();
  return { result: summarize(atlas, scenario, arrivals, visible, invocationMs, arrivals.length, performance.now() - started), store };
};

/** Fleet mode: the webhook queues its event and answers; the worker drains batches, coalesced, Atlas bounded. */
const runFleet = async (scenario: FleetScenario, seed: readonly NativeEvent[], arrivals: readonly Arrival[], kind: StoreKind): Promise<{ result: ModeResult; store: Store }> => {
  const { store, clock, atlas, visible } = await startMode(scenario, seed, kind);
  let invocationMs = 0;
  let invocations = 0;
  const options = { checkpointIntervalMs: scenario.checkpointIntervalSeconds * 1000, maxConcurrency: scenario.maxConcurrency };
  // What processRetryBatch does with its records: parse and check each body, one coalesced write, and a delayed
  // confirmation (CONFIRM_DELAY_SECONDS) of the messages whose events changed Atlas.
  const queue: SimQueue<{ body: string; arrival: Arrival; confirm: boolean }> = new SimQueue(clock, scenario.queue, async (batch) => {
    const started = clock.now;
    invocations += 1;
    const records = batch.map(({ item }) => ({ item, events: retryMessageBodySchema().parse(JSON.parse(item.body)).events }));
    const events: IndexedEvent[] = records.flatMap((r) => r.events).map((event, index) => ({ index, event }));
    const outcomes = await writeFleetBatch(events, atlas, naming, options);
    if (outcomes.some((o) => o.outcome !== 'written')) throw new Error('a fleet write failed');
    const changed = new Set(outcomes.flatMap((o) => (o.outcome === 'written' && o.changedAtlas ? [o.eventId] : [])));
    invocationMs += clock.now - started;
    const confirmations = records.filter((r) => !r.item.confirm && r.events.some((e) => changed.has(e.eventId)))
      .map((r) => ({ body: JSON.stringify(toBodies(r.events, 'confirm')[0]), arrival: r.item.arrival, confirm: true }));
    if (confirmations.length > 0) clock.at(clock.now + scenario.confirmDelaySeconds * 1000, () => queue.push(confirmations));
    for (const { item } of batch) if (item.arrival.statusChange && !item.confirm) visible.push(clock.now - item.arrival.at);
  });
  for (const arrival of arrivals) {
    clock.at(arrival.at, () => {
      invocations += 1;
      // The webhook's own work: the message body, sent; it answers once SQS has it.
      const bodies = toBodies([arrival.event], 'ingest').map((body) => JSON.stringify(body));
      void clock.sleep(scenario.queue.sendMs).then(() => {
        invocationMs += scenario.queue.sendMs;
        queue.push(bodies.map((body) => ({ body, arrival, confirm: false })));
      });
    });
  }
  const started = performance.now();
  await clock.run();
  return { result: summarize(atlas, scenario, arrivals, visible, invocationMs, invocations, performance.now() - started), store };
};

const runStates = (store: Store): Map<string, Record<string, unknown>> =>
  new Map(store.all().filter((e) => e.typeName === 'flink_job_run').map((e) => [String(e.attributes.qualifiedName), e.attributes]));

/** The small fleet on both stores: the calls each mode makes must be the same. */
const checkStores = async (scenario: FleetScenario): Promise<FleetResult['storeCheck']> => {
  const small = { ...scenario, jobs: scenario.checkJobs, minutes: Math.min(scenario.minutes, 10), stormJobs: Math.round(scenario.checkJobs / 5), redeploysPerMinute: 1 };
  const { seed, arrivals } = fleetWorkload(small);
  const calls = async (kind: StoreKind): Promise<[number, number]> => [
    (await runDirect(small, seed, arrivals, kind)).result.atlasCalls,
    (await runFleet(small, seed, arrivals, kind)).result.atlasCalls,
  ];
  const check = { jobs: small.jobs, emulator: await calls('emulator'), fast: await calls('fast') };
  if (check.emulator.join() !== check.fast.join()) {
    throw new Error(`the fast store drew other Atlas calls than the emulator on ${small.jobs} jobs: ${JSON.stringify(check)}`);
  }
  return check;
};

export const runFleetScenario = async (scenario: FleetScenario): Promise<FleetResult> => {
  const storeCheck = await checkStores(scenario);
  const { seed, arrivals } = fleetWorkload(scenario);
  const direct = await runDirect(scenario, seed, arrivals, 'fast');
  const fleet = await runFleet(scenario, seed, arrivals, 'fast');
  const directRuns = runStates(direct.store);
  const fleetRuns = runStates(fleet.store);
  let statusMismatches = 0;
  let maxCheckpointLagMs = 0;
  for (const [name, d] of directRuns) {
    const f = fleetRuns.get(name);
    if (f?.status !== d.status) statusMismatches += 1;
    maxCheckpointLagMs = Math.max(maxCheckpointLagMs, Number(d.checkpointsTime ?? 0) - Number(f?.checkpointsTime ?? 0));
  }
  if (fleetRuns.size !== directRuns.size) statusMismatches += Math.abs(fleetRuns.size - directRuns.size);
  return { scenario, direct: direct.result, fleet: fleet.result, bound: scenario.maxConcurrency * scenario.queue.workers, statusMismatches, maxCheckpointLagMs, storeCheck };
};

if (process.env.BENCH_OPTIONS !== undefined && process.send !== undefined) {
  const options = JSON.parse(process.env.BENCH_OPTIONS) as FleetScenario;
  runFleetScenario(options).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
}
