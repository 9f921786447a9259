// Sections 2, 3 and 5: the bridge as it runs, over loopback. Processes: the Atlas emulator (timing its own
// answers), the HTTP functions behind a node:http server (bench/children/bridgeServer.ts), the retry worker
// (bench/children/worker.ts), each alone in its process, and this one sending the requests and running the
// real local SQS (local/localSqs.ts).
import { request as httpRequest, Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AtlasClient, registerTypes } from '../lib/atlas/index.js';
import type { FlinkEvent } from '../lib/contract/index.js';
import { RetryQueue, toBodies, type OutgoingMessage } from '../lib/queue/index.js';
import { startLocalSqs, type LocalSqs } from '../local/localSqs.js';
import { generateWorkload, seededRandom } from '../test/faults/workload.js';
import { startService, type Service } from './lib/children.js';
import { benchAuthHeaders, benchEnv } from './lib/env.js';
import { FLINK_EVENTS_PATH, type BenchBody } from './lib/mix.js';
import { figure, max, mean, median, percentile, type Figure } from './lib/stats.js';
import type { DrainResult } from './children/worker.js';

export interface EndToEndOptions {
  /** Events of the workload each latency and memory run posts (10,000 in the full run). */
  events: number;
  concurrency: number[];
  /** Extra runs of the same workload at this concurrency, to see whether memory grows run after run. */
  repeatRuns: number;
  repeatConcurrency: number;
  /** Runs whose lifecycle events are posted one by one to count Atlas calls. */
  callRuns: number;
  /** SQS batches of 10 messages handed to the worker to count Atlas calls. */
  workerBatches: number;
  /** Events queued for the worker to drain. */
  drainEvents: number;
  /** OpenLineage bodies posted one by one to count Atlas calls (from the throughput mix). */
  openLineageBodies: BenchBody[];
  profile?: boolean;
}

interface Stats {
  reads: number;
  writes: number;
  byRoute: Record<string, number>;
}

interface Answer {
  status: number;
  body: string;
  ms: number;
  handlerMs: number;
  atlasMs: number;
  atlasWaitMs: number;
  atlasCalls: number;
  otherMs: number;
}

const post = (agent: Agent, url: string, path: string, body: string): Promise<Answer> => {
  // Signing is the sender's work: done before the clock starts.
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...benchAuthHeaders(path, body) };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(`${url}${path}`, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const number = (name: string): number => Number(res.headers[name] ?? 0);
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
          handlerMs: number('x-bench-handler-ms'),
          atlasMs: number('x-bench-atlas-ms'),
          atlasWaitMs: number('x-bench-atlas-wait-ms'),
          atlasCalls: number('x-bench-atlas-calls'),
          otherMs: number('x-bench-other-ms'),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
};

/** The sender side of the fault test's workload: batches of 1 to 5 events, in the workload's (shuffled) order. */
const batchesOf = (events: readonly FlinkEvent[], seed: number): FlinkEvent[][] => {
  const random = seededRandom(seed);
  const batches: FlinkEvent[][] = [];
  for (let next = 0; next < events.length; ) {
    const size = 1 + Math.floor(random() * 5);
    batches.push(events.slice(next, next + size));
    next += size;
  }
  return batches;
};

const bodyOf = (batch: readonly FlinkEvent[]): string => JSON.stringify(batch.length === 1 ? batch[0] : batch);

interface LoadRun {
  concurrency: number;
  requests: number;
  events: number;
  seconds: number;
  statuses: Record<string, number>;
  latencyMs: number[];
  /** Latency minus the time the bridge waited for the emulator's answers (its processing, its queue, loopback). */
  netMs: number[];
  /** The emulator's own processing time of the request's Atlas calls (its Server-Timing). */
  atlasMs: number[];
  atlasWaitMs: number[];
  otherMs: number[];
  /** CPU time (user + system) each process spent during the run, ms. */
  cpuMs: Record<string, number>;
}

type CpuMeter = () => Promise<Record<string, number>>;

/** CPU time of each service (and of this process: the senders and the local SQS) since the last call. */
const cpuMeter = (services: Record<string, Service<unknown>>): CpuMeter => {
  let last: Record<string, number> = {};
  const read = async (): Promise<Record<string, number>> => {
    const now: Record<string, number> = {};
    for (const [name, service] of Object.entries(services)) {
      const usage = await service.call<{ user: number; system: number }>('cpu');
      now[name] = (usage.user + usage.system) / 1000;
    }
    const own = process.cpuUsage();
    now['senders + local SQS'] = (own.user + own.system) / 1000;
    const delta = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, Math.round(v - (last[k] ?? 0))]));
    last = now;
    return delta;
  };
  return read;
};

const load = async (url: string, bodies: readonly string[], events: number, concurrency: number, cpu: CpuMeter): Promise<LoadRun> => {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const run: LoadRun = {
    concurrency, requests: bodies.length, events, seconds: 0, statuses: {}, latencyMs: [], netMs: [], atlasMs: [], atlasWaitMs: [], otherMs: [], cpuMs: {},
  };
  let next = 0;
  await cpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const answer = await post(agent, url, FLINK_EVENTS_PATH, body);
        run.statuses[answer.status] = (run.statuses[answer.status] ?? 0) + 1;
        if (answer.status !== 200) throw new Error(`POST /flink/events answered ${answer.status}: ${answer.body.slice(0, 300)}`);
        run.latencyMs.push(answer.ms);
        run.netMs.push(answer.ms - answer.atlasWaitMs);
        run.atlasMs.push(answer.atlasMs);
        run.atlasWaitMs.push(answer.atlasWaitMs);
        run.otherMs.push(answer.otherMs);
      }
    }),
  );
  run.seconds = (performance.now() - started) / 1000;
  run.cpuMs = await cpu();
  agent.destroy();
  return run;
};

interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  maxRss: number;
  gc: boolean;
}

export interface EndToEndResult {
  calls: {
    http: { requests: number; reads: number[]; writes: number[]; perEntityCalls: number[]; duplicates: { reads: number[]; writes: number[] } };
    openLineage: { requests: number; reads: number[]; writes: number[]; perEntityCalls: number[] };
    worker: { batches: number; reads: number[]; writes: number[]; perEntityCalls: number[]; messages: number };
    byRoute: Record<string, number>;
  };
  latency: { bridge: LoadRun[]; baseline: LoadRun[] };
  memory: {
    bridge: { idle: MemorySnapshot; afterRuns: MemorySnapshot[]; repeatRuns: number };
    baseline: { idle: MemorySnapshot; afterRuns: MemorySnapshot[] };
    worker: MemorySnapshot;
  };
  drain: { worker: DrainResult; baseline: DrainResult; events: number; messages: number };
}

/** Retry messages as the HTTP path queues them when Atlas is down: per request, one message per run. */
const retryMessages = (events: readonly FlinkEvent[], seed: number): OutgoingMessage[] =>
  batchesOf(events, seed).flatMap((batch) => {
    const byRun = new Map<string, FlinkEvent[]>();
    for (const event of batch) {
      const key = `${event.cluster}/${event.job.name}/${'id' in event.job ? String(event.job.id) : ''}`;
      byRun.set(key, [...(byRun.get(key) ?? []), event]);
    }
    return [...byRun.values()].flatMap((group) =>
      toBodies(group, 'retry', { firstFailureAt: new Date().toISOString() }).map((body) => ({
        body,
        lastError: { kind: 'retryable' as const, message: 'Atlas bulk write failed with HTTP 503', status: 503 },
      })),
    );
  });

export const runEndToEnd = async (options: EndToEndOptions): Promise<EndToEndResult> => {
  const services: Service<unknown>[] = [];
  let sqs: LocalSqs | undefined;
  try {
    const emulator = await startService<{ url: string }>('emulator.ts', {}, { tsx: true });
    services.push(emulator);
    const atlasUrl = emulator.ready.url;
    await registerTypes(new AtlasClient({ baseUrl: atlasUrl, user: 'admin', password: 'admin', timeoutMs: 10_000 }));
    const stats = (): Promise<Stats> => emulator.call<Stats>('stats');

    sqs = await startLocalSqs({ visibilityTimeout: 30 });
    const queueEnv = { retry: sqs.urls.retry, deadLetter: sqs.urls.deadLetter, endpoint: sqs.endpoint };
    const env = benchEnv({ atlasUrl, queue: queueEnv });
    const bridge = await startService<{ url: string; memory: MemorySnapshot }>('bridgeServer.ts', { role: 'bridge' }, {
      env, nodeArgs: ['--expose-gc'], profile: options.profile ?? false,
    });
    services.push(bridge);
    const baselineServer = await startService<{ url: string; memory: MemorySnapshot }>('bridgeServer.ts', { role: 'baseline' }, {
      env, nodeArgs: ['--expose-gc'],
    });
    services.push(baselineServer);

    // ---- 2. Atlas calls per lifecycle event, HTTP path: each event posted alone, in event-time order ----
    const callWorkload = generateWorkload(options.callRuns * 13, 3);
    const lifecycle = [...new Map(callWorkload.events.map((e) => [e.eventId, e])).values()].sort(
      (a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const entitiesOf = new Map<string, string[]>();
    const http = { requests: 0, reads: [] as number[], writes: [] as number[], perEntityCalls: [] as number[], duplicates: { reads: [] as number[], writes: [] as number[] } };
    await emulator.call('resetEntities');
    for (const event of lifecycle) {
      const before = await stats();
      const answer = await post(agent, bridge.ready.url, FLINK_EVENTS_PATH, JSON.stringify(event));
      const after = await stats();
      if (answer.status !== 200) throw new Error(`${event.type} ${event.eventId} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      const results = (JSON.parse(answer.body) as { results: { entities?: { typeName: string; qualifiedName: string }[] }[] }).results;
      const entities = results.flatMap((r) => (r.entities ?? []).map((e) => `${e.typeName}|${e.qualifiedName}`));
      entitiesOf.set(event.eventId, entities);
      http.requests += 1;
      http.reads.push(after.reads - before.reads);
      http.writes.push(after.writes - before.writes);
      // A client without the bridge's batching: one read and one write per entity the event names.
      http.perEntityCalls.push(2 * new Set(entities).size);
    }
    for (const event of lifecycle) {
      const before = await stats();
      const answer = await post(agent, bridge.ready.url, FLINK_EVENTS_PATH, JSON.stringify(event));
      const after = await stats();
      if (answer.status !== 200) throw new Error(`duplicate ${event.eventId} answered ${answer.status}`);
      http.duplicates.reads.push(after.reads - before.reads);
      http.duplicates.writes.push(after.writes - before.writes);
    }
    const openLineage = { requests: 0, reads: [] as number[], writes: [] as number[], perEntityCalls: [] as number[] };
    for (const b of options.openLineageBodies) {
      const before = await stats();
      const answer = await post(agent, bridge.ready.url, b.path, b.body);
      const after = await stats();
      if (answer.status !== 200) throw new Error(`${b.label} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      const parsed = JSON.parse(answer.body) as { skipped?: boolean; results?: { entities?: { typeName: string; qualifiedName: string }[] }[] };
      if (parsed.skipped === true) continue;
      const entities = (parsed.results ?? []).flatMap((r) => (r.entities ?? []).map((e) => `${e.typeName}|${e.qualifiedName}`));
      openLineage.requests += 1;
      openLineage.reads.push(after.reads - before.reads);
      openLineage.writes.push(after.writes - before.writes);
      openLineage.perEntityCalls.push(2 * new Set(entities).size);
    }
    agent.destroy();

    // ---- 2. Atlas calls per SQS batch of 10: the same events, one per message, as a queue holds them ----
    const worker = await startService<{ memory: MemorySnapshot }>('worker.ts', { role: 'worker' }, {
      env: { ...env, CONFIRM_DELAY_SECONDS: '900' }, nodeArgs: ['--expose-gc'], profile: options.profile ?? false,
    });
    services.push(worker);
    await emulator.call('resetEntities');
    const shuffled = [...callWorkload.events];
    const random = seededRandom(5);
    for (let i = shuffled.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const workerCalls = { batches: 0, reads: [] as number[], writes: [] as number[], perEntityCalls: [] as number[], messages: 10 };
    for (let b = 0; b < options.workerBatches && (b + 1) * 10 <= shuffled.length; b += 1) {
      const events = shuffled.slice(b * 10, b * 10 + 10);
      const bodies = events.map((e) => JSON.stringify(toBodies([e], 'retry', { firstFailureAt: new Date().toISOString() })[0]));
      const before = await stats();
      const { failures } = await worker.call<{ failures: number }>('batch', { bodies });
      const after = await stats();
      if (failures > 0) throw new Error(`the worker failed ${failures} of 10 messages`);
      workerCalls.batches += 1;
      workerCalls.reads.push(after.reads - before.reads);
      workerCalls.writes.push(after.writes - before.writes);
      workerCalls.perEntityCalls.push(2 * new Set(events.flatMap((e) => entitiesOf.get(e.eventId) ?? [])).size);
    }
    const byRoute = (await stats()).byRoute;

    // ---- 3 and 5. Latency at each concurrency, then repeated runs for memory ----
    const workload = generateWorkload(options.events, 42);
    const batches = batchesOf(workload.events, 43);
    const bodies = batches.map(bodyOf);
    const latency = { bridge: [] as LoadRun[], baseline: [] as LoadRun[] };
    const memory = {
      bridge: { idle: bridge.ready.memory, afterRuns: [] as MemorySnapshot[], repeatRuns: options.repeatRuns },
      baseline: { idle: baselineServer.ready.memory, afterRuns: [] as MemorySnapshot[] },
      worker: worker.ready.memory,
    };
    const runs = [...options.concurrency.map((c) => ({ c, repeat: false })), ...Array.from({ length: options.repeatRuns }, () => ({ c: options.repeatConcurrency, repeat: true }))];
    const cpu = cpuMeter({ 'bridge': bridge, 'JSON echo server': baselineServer, 'Atlas emulator': emulator });
    for (const { c, repeat } of runs) {
      await emulator.call('resetEntities');
      const bridgeRun = await load(bridge.ready.url, bodies, workload.events.length, c, cpu);
      memory.bridge.afterRuns.push(await bridge.call<MemorySnapshot>('memory'));
      const baselineRun = await load(baselineServer.ready.url, bodies, workload.events.length, c, cpu);
      memory.baseline.afterRuns.push(await baselineServer.call<MemorySnapshot>('memory'));
      if (!repeat) {
        latency.bridge.push(bridgeRun);
        latency.baseline.push(baselineRun);
      }
    }

    // ---- 3. The worker draining queued events, over a fresh local SQS ----
    sqs.sqs.destroy();
    await sqs.close();
    sqs = await startLocalSqs({ visibilityTimeout: 30 });
    const drainWorkload = generateWorkload(options.drainEvents, 44);
    const messages = retryMessages(drainWorkload.events, 45);
    const queue = new RetryQueue(sqs.sqs, sqs.urls);
    const drainEnv = benchEnv({ atlasUrl, queue: { retry: sqs.urls.retry, deadLetter: sqs.urls.deadLetter, endpoint: sqs.endpoint }, extra: { CONFIRM_DELAY_SECONDS: '900' } });
    const drainWith = async (role: 'worker' | 'baseline'): Promise<DrainResult> => {
      const service = await startService<{ memory: MemorySnapshot }>('worker.ts', { role }, { env: drainEnv, nodeArgs: ['--expose-gc'], profile: role === 'worker' && (options.profile ?? false) });
      services.push(service);
      await queue.send(messages);
      const result = await service.call<DrainResult>('drain', { endpoint: sqs!.endpoint, queueUrl: sqs!.urls.retry, pollers: 2, quietMs: 1000 });
      if (role === 'worker') memory.worker = await service.call<MemorySnapshot>('memory');
      await service.stop();
      if (result.failures > 0) throw new Error(`the ${role} drain reported ${result.failures} failed messages`);
      if (result.records !== messages.length) throw new Error(`the ${role} drain handled ${result.records} of ${messages.length} messages`);
      return result;
    };
    await emulator.call('resetEntities');
    const drainBaseline = await drainWith('baseline');
    const drainWorker = await drainWith('worker');

    return {
      calls: { http, openLineage, worker: workerCalls, byRoute },
      latency,
      memory,
      drain: { worker: drainWorker, baseline: drainBaseline, events: drainWorkload.events.length, messages: messages.length },
    };
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    if (sqs !== undefined) {
      sqs.sqs.destroy();
      await sqs.close();
    }
  }
};

const MB = 1024 * 1024;

export const endToEndFigures = (r: EndToEndResult): Figure[] => {
  const figures: Figure[] = [];
  const { http, openLineage, worker } = r.calls;
  figures.push(
    figure({
      section: '2', name: `Atlas reads per lifecycle event, HTTP (most in one request, over ${http.requests} events posted alone)`,
      value: max(http.reads), unit: 'reads', baselineName: 'per-entity client, mean reads', baseline: mean(http.perEntityCalls) / 2,
      budget: { on: 'value', max: 1, text: '≤ 1', gatesCi: true },
    }),
    figure({
      section: '2', name: 'Atlas writes per lifecycle event, HTTP (most in one request)',
      value: max(http.writes), unit: 'writes', baselineName: 'per-entity client, mean writes', baseline: mean(http.perEntityCalls) / 2,
      budget: { on: 'value', max: 1, text: '≤ 1', gatesCi: true },
    }),
    figure({
      section: '2', name: 'Atlas calls per lifecycle event, HTTP (mean)',
      value: mean(http.reads) + mean(http.writes), unit: 'calls', baselineName: 'per-entity client', baseline: mean(http.perEntityCalls),
    }),
    figure({
      section: '2', name: 'Atlas calls per duplicate event, HTTP (mean; a duplicate is read, never written)',
      value: mean(http.duplicates.reads) + mean(http.duplicates.writes), unit: 'calls', baselineName: 'per-entity client', baseline: mean(http.perEntityCalls),
      budget: { on: 'value', max: 1, text: '≤ 1', gatesCi: true },
    }),
  );
  if (openLineage.requests > 0) {
    figures.push(figure({
      section: '2', name: `Atlas calls per OpenLineage event, HTTP (most in one request, ${openLineage.requests} events)`,
      value: max(openLineage.reads.map((x, i) => x + openLineage.writes[i]!)), unit: 'calls', baselineName: 'per-entity client, mean', baseline: mean(openLineage.perEntityCalls),
      budget: { on: 'value', max: 2, text: '≤ 1 read + 1 write', gatesCi: true },
    }));
  }
  figures.push(
    figure({
      section: '2', name: `Atlas reads per SQS batch of 10, worker (most in one batch, ${worker.batches} batches)`,
      value: max(worker.reads), unit: 'reads', baselineName: 'per-entity client, mean reads', baseline: mean(worker.perEntityCalls) / 2,
      budget: { on: 'value', max: 1, text: '≤ 1', gatesCi: true },
    }),
    figure({
      section: '2', name: 'Atlas writes per SQS batch of 10, worker (most in one batch)',
      value: max(worker.writes), unit: 'writes', baselineName: 'per-entity client, mean writes', baseline: mean(worker.perEntityCalls) / 2,
      budget: { on: 'value', max: 1, text: '≤ 1', gatesCi: true },
    }),
  );
  r.latency.bridge.forEach((run, i) => {
    const base = r.latency.baseline[i]!;
    const label = `${run.concurrency} sender${run.concurrency === 1 ? '' : 's'}`;
    figures.push(
      figure({
        section: '3', name: `POST /flink/events p50, ${label}, Atlas emulator's time subtracted (raw ${median(run.latencyMs).toFixed(2)} ms; waiting for the emulator ${median(run.atlasWaitMs).toFixed(2)} ms, its own processing ${median(run.atlasMs).toFixed(2)} ms; local SQS ${median(run.otherMs).toFixed(2)} ms)`,
        value: median(run.netMs), unit: 'ms', baselineName: 'JSON echo server', baseline: median(base.latencyMs),
      }),
      figure({
        section: '3', name: `POST /flink/events p99, ${label}, Atlas emulator's time subtracted (raw ${percentile(run.latencyMs, 99).toFixed(2)} ms)`,
        value: percentile(run.netMs, 99), unit: 'ms', baselineName: 'JSON echo server', baseline: percentile(base.latencyMs, 99),
      }),
    );
  });
  const { worker: drain, baseline: drainBase, events } = r.drain;
  const perBatchNet = drain.handlerMs.map((ms, i) => ms - drain.atlasWaitMs[i]!);
  figures.push(
    figure({
      section: '3', name: `worker draining ${events.toLocaleString('en-US')} queued events (${r.drain.messages.toLocaleString('en-US')} messages, 2 pollers, real local SQS)`,
      value: events / drain.seconds, unit: 'events/s', baselineName: 'same drain, handler only parses', baseline: events / drainBase.seconds,
    }),
    figure({
      section: '3', name: `worker batch of 10 p50, Atlas emulator's time subtracted (raw ${median(drain.handlerMs).toFixed(2)} ms, waiting for the emulator ${median(drain.atlasWaitMs).toFixed(2)} ms; p99 ${percentile(perBatchNet, 99).toFixed(2)} ms)`,
      value: median(perBatchNet), unit: 'ms', baselineName: 'batch that only parses', baseline: median(drainBase.handlerMs),
    }),
  );
  const { bridge, baseline } = r.memory;
  const lastBridge = bridge.afterRuns.at(-1)!;
  const lastBaseline = baseline.afterRuns.at(-1)!;
  figures.push(
    figure({
      section: '5', name: `peak RSS of the handler process over ${bridge.afterRuns.length} runs of ${r.latency.bridge[0]?.events.toLocaleString('en-US') ?? '?'} events`,
      value: lastBridge.maxRss / MB, unit: 'MB', baselineName: 'JSON echo server, same requests', baseline: lastBaseline.maxRss / MB,
    }),
  );
  // Heap after a full GC, run after run: the first runs warm code and caches, the repeated ones must not grow.
  const heaps = bridge.afterRuns.slice(-Math.max(2, bridge.repeatRuns)).map((m) => m.heapUsed / MB);
  const growth = heaps.length < 2 ? Number.NaN : (heaps.at(-1)! - heaps[0]!) / (heaps.length - 1);
  const baseHeaps = baseline.afterRuns.slice(-Math.max(2, bridge.repeatRuns)).map((m) => m.heapUsed / MB);
  const baseGrowth = baseHeaps.length < 2 ? Number.NaN : (baseHeaps.at(-1)! - baseHeaps[0]!) / (baseHeaps.length - 1);
  figures.push(
    figure({
      section: '5', name: `heap growth per repeated run after GC (heap after runs: ${bridge.afterRuns.map((m) => (m.heapUsed / MB).toFixed(1)).join(', ')} MB)`,
      value: growth, unit: 'MB/run', baselineName: 'JSON echo server', baseline: baseGrowth,
      budget: { on: 'value', max: 1, text: '≤ 1 MB/run (no leak)', gatesCi: true },
    }),
    figure({
      section: '5', name: 'peak RSS of the worker process over the drain',
      value: r.memory.worker.maxRss / MB, unit: 'MB', baselineName: 'handler process idle', baseline: bridge.idle.rss / MB,
    }),
  );
  return figures;
};
