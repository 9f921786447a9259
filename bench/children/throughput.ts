// Section 1, in its own fresh process: events per second through the real middy handlers (flinkEvents,
// openLineage) invoked in-process with API Gateway v2 events, Atlas answered by StubAtlas, against
// JSON.parse + JSON.stringify of the same bodies. Rounds alternate baseline and bridge passes so that both
// see the same machine load; each figure is the median over rounds.
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpEvent, lambdaContext } from '../../test/helpers/apiGateway.js';
import { readFileSync } from 'node:fs';
import { FLINK_EVENTS_PATH, type BenchBody, type Mix } from '../lib/mix.js';
import { median } from '../lib/stats.js';
import { StubAtlas } from '../lib/stubAtlas.js';
import { benchAuthHeaders, benchEnv } from '../lib/env.js';

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
  bridgeEventsPerSecond: number;
  baselineRounds: number[];
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

  // The seam: every ingest path writes through runtime.ingestDeps.atlas (an AtlasWriter), timed for the metrics
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

  // Warm-up: let both reach optimized code before anything is timed.
  baselinePass();
  await bridgePass(true);
  const atlasPerPass = {
    reads: stub.reads, writes: stub.writes, namesRead: stub.namesRead, entitiesWritten: stub.entitiesWritten, requestBytes: stub.requestBytes,
  };
  const baselineRounds: Pass[] = [];
  const bridgeRounds: Pass[] = [];
  for (let r = 0; r < options.rounds; r += 1) {
    baselineRounds.push(baselinePass());
    bridgeRounds.push(await bridgePass(false));
  }
  return {
    mix: mix.description,
    requests: mix.bodies.length,
    events: mix.events,
    baselineEventsPerSecond: median(baselineRounds.map((p) => p.cpu)),
    bridgeEventsPerSecond: median(bridgeRounds.map((p) => p.cpu)),
    baselineRounds: baselineRounds.map((p) => Math.round(p.cpu)),
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
