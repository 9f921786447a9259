// Section 1, in its own fresh process: events per second through the real middy handlers (flinkEvents,
// openLineage) invoked in-process with API Gateway v2 events, Atlas answered by StubAtlas, against
// JSON.parse + JSON.stringify of the same bodies. Rounds alternate baseline, floor and bridge passes so that
// all see the same machine load; each figure is the median over rounds.
//
// The floor is what the issues ask of any implementation on this path, with none of the bridge's own work:
// authenticate the request (HMAC of the signed webhook, or the API key), JSON.parse its body, one Powertools log
// line per event and one EMF document per request (issue 5), the JSON answer, and on the Atlas side exactly
// the traffic the bridge exchanged with the stub in its first pass (the reads' query strings built, Atlas's
// answers parsed, the bulk writes serialized). No validation, conversion, mapping or planning. If the floor is
// below the budget, no implementation can meet it. A second floor writes the log lines and EMF documents by hand
// (one JSON.stringify and one write each), to show what Powertools itself costs.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpEvent, lambdaContext } from '../../test/helpers/apiGateway.js';
import { readFileSync } from 'node:fs';
import { FLINK_EVENTS_PATH, type BenchBody, type Mix } from '../lib/mix.js';
import { median } from '../lib/stats.js';
import { bulkReadQuery } from '../../lib/atlas/client.js';
import { StubAtlas, type AtlasTraffic } from '../lib/stubAtlas.js';
import { BENCH_API_KEY, BENCH_WEBHOOK_SECRET, benchAuthHeaders, benchEnv } from '../lib/env.js';

export interface ThroughputOptions {
  /** A Mix written by the parent (bench/lib/mix.ts reads files beside the sources, so it runs there). */
  mixFile: string;
  rounds: number;
}

export interface ThroughputResult {
  mix: string;
  requests: number;
  events: number;
  /** Events per CPU-second of this process (user + system): what the code costs, whatever else the machine runs. */
  baselineEventsPerSecond: number;
  /** The floor (see the header), per CPU-second. */
  floorEventsPerSecond: number;
  /** The same floor with a bare JSON line and EMF document written by hand instead of Powertools. */
  bareFloorEventsPerSecond: number;
  bridgeEventsPerSecond: number;
  baselineRounds: number[];
  floorRounds: number[];
  bareFloorRounds: number[];
  bridgeRounds: number[];
  /** The same rates per wall-clock second. */
  baselineEventsPerWallSecond: number;
  bridgeEventsPerWallSecond: number;
  /** Answers of the first bridge pass, by status (and "skipped" for OpenLineage events from other producers). */
  answers: Record<string, number>;
  atlasPerPass: { reads: number; writes: number; namesRead: number; entitiesWritten: number; requestBytes: number };
}

type Handler = (event: APIGatewayProxyEventV2, context: typeof lambdaContext) => Promise<unknown>;

const run = async (options: ThroughputOptions): Promise<ThroughputResult> => {
  Object.assign(process.env, benchEnv({ atlasUrl: 'http://127.0.0.1:9' }));
  const { handler: flinkEvents } = (await import('../../functions/flinkEvents.js')) as { handler: Handler };
  const { handler: openLineage } = (await import('../../functions/openLineage.js')) as { handler: Handler };
  const { loadRuntime } = await import('../../lib/runtime/index.js');
  const { instrumentAtlas } = await import('../../lib/telemetry/instruments.js');
  const { logger, metrics, MetricUnit, SERVICE_NAME } = await import('../../lib/telemetry/index.js');

  // The seam: every ingest path writes through runtime.ingestDeps.atlas (an AtlasPort), timed for the metrics
  // as the real client is.
  const stub = new StubAtlas();
  const runtime = await loadRuntime();
  if (runtime.queue !== undefined) throw new Error('the throughput bench runs without a queue; unset RETRY_QUEUE_URL');
  runtime.ingestDeps.atlas = instrumentAtlas(stub);

  const mix = JSON.parse(readFileSync(options.mixFile, 'utf8')) as Mix;
  const handlerFor = (b: BenchBody): Handler => (b.path === FLINK_EVENTS_PATH ? flinkEvents : openLineage);
  const eventsOf = (bodies: readonly BenchBody[]): APIGatewayProxyEventV2[] =>
    bodies.map((b) => httpEvent(b.body, { path: b.path, headers: benchAuthHeaders(b.path, b.body) }));

  interface Pass {
    cpu: number;
    wall: number;
  }
  const clock = (): (() => Pass) => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    return () => {
      const used = process.cpuUsage(cpu);
      return { cpu: mix.events / ((used.user + used.system) / 1e6), wall: mix.events / ((performance.now() - wall) / 1000) };
    };
  };

  const baselinePass = (): Pass => {
    const stop = clock();
    let bytes = 0;
    for (const b of mix.bodies) bytes += JSON.stringify(JSON.parse(b.body)).length;
    const rate = stop();
    if (bytes === 0) throw new Error('no bodies');
    return rate;
  };

  const webhookKey = Buffer.from(BENCH_WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
  const apiKeyDigest = createHash('sha256').update(BENCH_API_KEY).digest();
  const traffic: AtlasTraffic = { readNames: [], readAnswers: [], writeBodies: [], writeAnswers: [] };
  let writeRequests: unknown[] = [];
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

  /** How the floor writes its log line per event and its metrics per request. */
  interface FloorTelemetry {
    eventLine: (fields: Record<string, unknown>) => void;
    requestMetrics: (events: number) => void;
  }
  // As the bridge does it, with Powertools Logger and Metrics (issue 5 asks for both).
  const powertools: FloorTelemetry = {
    eventLine: (fields) => logger.info('event', fields),
    requestMetrics: (events) => {
      metrics.addMetric('EventsAccepted', MetricUnit.Count, events);
      metrics.addMetric('EventsWritten', MetricUnit.Count, events);
      metrics.publishStoredMetrics();
    },
  };
  // The cheapest structured line and EMF document there are: a JSON.stringify and a write each.
  const bare: FloorTelemetry = {
    eventLine: (fields) => {
      process.stdout.write(`${JSON.stringify({ level: 'INFO', message: 'event', timestamp: new Date().toISOString(), service: SERVICE_NAME, ...fields })}\n`);
    },
    requestMetrics: (events) => {
      const emf = {
        _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'FlinkAtlasBridge', Dimensions: [['service']], Metrics: [{ Name: 'EventsAccepted', Unit: 'Count' }, { Name: 'EventsWritten', Unit: 'Count' }] }] },
        service: SERVICE_NAME, EventsAccepted: events, EventsWritten: events,
      };
      process.stdout.write(`${JSON.stringify(emf)}\n`);
    },
  };

  const floorPass = (events: readonly APIGatewayProxyEventV2[], telemetry: FloorTelemetry): Pass => {
    const stop = clock();
    events.forEach((event, i) => {
      const { path } = mix.bodies[i]!;
      const headers = event.headers;
      if (path === FLINK_EVENTS_PATH) {
        const expected = createHmac('sha256', webhookKey).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`).update(event.body!, 'utf8').digest();
        const sent = Buffer.from(headers['webhook-signature']!.slice('v1,'.length), 'base64');
        if (!timingSafeEqual(expected, sent)) throw new Error('floor: signature mismatch');
      } else {
        const token = createHash('sha256').update(headers.authorization!.slice('Bearer '.length)).digest();
        if (!timingSafeEqual(token, apiKeyDigest)) throw new Error('floor: API key mismatch');
      }
      const body = JSON.parse(event.body!) as unknown;
      const items = (Array.isArray(body) ? body : [body]) as Record<string, any>[];
      for (const item of items) {
        telemetry.eventLine({
          route: path, correlationId: headers['webhook-id'] ?? text(item.eventId), eventId: text(item.eventId),
          job: text(item.job?.name), run: text(item.job?.id) ?? text(item.run?.runId), status: text(item.job?.status) ?? text(item.type) ?? text(item.eventType),
          outcome: 'written', httpStatus: 200, latencyMs: 0,
        });
      }
      telemetry.requestMetrics(items.length);
      JSON.stringify({ results: items.map((item, index) => ({ index, eventId: item.eventId, outcome: 'written' })) });
    });
    for (const names of traffic.readNames) bulkReadQuery(names);
    for (const answer of traffic.readAnswers) JSON.parse(answer);
    for (const request of writeRequests) JSON.stringify(request);
    for (const answer of traffic.writeAnswers) JSON.parse(answer);
    return stop();
  };

  const answers: Record<string, number> = {};
  const bridgePass = async (record: boolean): Promise<Pass> => {
    stub.reset();
    // Building the API Gateway events is the platform's work, not the bridge's: done before the clock starts.
    const events = eventsOf(mix.bodies);
    const stop = clock();
    const results: unknown[] = [];
    for (let i = 0; i < events.length; i += 1) results.push(await handlerFor(mix.bodies[i]!)(events[i]!, lambdaContext));
    const rate = stop();
    if (record) {
      results.forEach((result, i) => {
        const response = result as APIGatewayProxyStructuredResultV2;
        const body = JSON.parse(String(response.body)) as { skipped?: boolean };
        const key = body.skipped === true ? `${response.statusCode} skipped` : String(response.statusCode);
        answers[key] = (answers[key] ?? 0) + 1;
        if (response.statusCode !== 200) {
          throw new Error(`${mix.bodies[i]!.label} was answered ${response.statusCode}: ${String(response.body).slice(0, 300)}`);
        }
      });
    }
    return rate;
  };

  // Warm-up: let all three reach optimized code before anything is timed. The first bridge pass records the
  // Atlas traffic the floor replays.
  baselinePass();
  stub.traffic = traffic;
  await bridgePass(true);
  stub.traffic = undefined;
  writeRequests = traffic.writeBodies.map((body) => JSON.parse(body) as unknown);
  floorPass(eventsOf(mix.bodies), powertools);
  floorPass(eventsOf(mix.bodies), bare);
  const atlasPerPass = {
    reads: stub.reads, writes: stub.writes, namesRead: stub.namesRead, entitiesWritten: stub.entitiesWritten, requestBytes: stub.requestBytes,
  };
  const baselineRounds: Pass[] = [];
  const floorRounds: Pass[] = [];
  const bareFloorRounds: Pass[] = [];
  const bridgeRounds: Pass[] = [];
  for (let r = 0; r < options.rounds; r += 1) {
    baselineRounds.push(baselinePass());
    floorRounds.push(floorPass(eventsOf(mix.bodies), powertools));
    bareFloorRounds.push(floorPass(eventsOf(mix.bodies), bare));
    bridgeRounds.push(await bridgePass(false));
  }
  return {
    mix: mix.description,
    requests: mix.bodies.length,
    events: mix.events,
    baselineEventsPerSecond: median(baselineRounds.map((p) => p.cpu)),
    floorEventsPerSecond: median(floorRounds.map((p) => p.cpu)),
    bareFloorEventsPerSecond: median(bareFloorRounds.map((p) => p.cpu)),
    bridgeEventsPerSecond: median(bridgeRounds.map((p) => p.cpu)),
    baselineRounds: baselineRounds.map((p) => Math.round(p.cpu)),
    floorRounds: floorRounds.map((p) => Math.round(p.cpu)),
    bareFloorRounds: bareFloorRounds.map((p) => Math.round(p.cpu)),
    bridgeRounds: bridgeRounds.map((p) => Math.round(p.cpu)),
    baselineEventsPerWallSecond: median(baselineRounds.map((p) => p.wall)),
    bridgeEventsPerWallSecond: median(bridgeRounds.map((p) => p.wall)),
    answers,
    atlasPerPass,
  };
};

const options = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as ThroughputOptions;
run(options).then(
  (result) => process.send?.({ ok: true, result }),
  (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
);
