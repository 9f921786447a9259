// flink-atlas atlas-requests: the producer of the atlas-check module (docs/atlas-check.md). Drives the bridge's real
// write path (the deployed handlers, in process) against the Atlas emulator for every sample, fixture, schema example
// and a slice of the fault workload, and writes what the bridge sent to Atlas, with what the emulator stored for each
// entity the write created or updated, for Atlas's own type classes to check (atlas-check/, `npm run test:java`).
//
//   flink-atlas atlas-requests --out atlas-check/target/atlas-requests [--fault-events 1000]
//
// Output: writes.jsonl (one line per entity write: source, request body, Atlas's answer, stored entities by guid),
// typedefs.json (the bridge's registerTypes create, and its GET-then-PUT upgrade) and summary.json (counts).
// It sets this process's environment for the handlers it runs: main.ts imports it only when the command runs.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startAtlasEmulator, type AtlasEmulator } from '../../local/atlas-emulator/index.js';
import { loadSamples } from '../../local/samples.js';
import { httpEvent, lambdaContext, parseResponse } from '../../test/helpers/apiGateway.js';
import { CT0, databaseEvent, id, kafkaTable, tableEvent, viewOf } from '../../test/helpers/catalogEvents.js';
import { executionResult, restJob } from '../../test/helpers/flinkRest.js';
import { FIXTURES, fillFixture } from '../../test/helpers/openLineage.js';
import { generateWorkload } from '../../test/faults/workload.js';
import { result, type CommandResult } from '../result.js';

export const DEFAULT_OUT = 'atlas-check/target/atlas-requests';
export const DEFAULT_FAULT_EVENTS = 1000;

/** The handlers read their environment (and telemetry its settings) when first used: set before importing them. */
const HANDLER_ENV = {
  ATLAS_USER: 'admin', ATLAS_PASSWORD: 'admin', ATLAS_TIMEOUT_MS: '10000',
  AUTH_FLINK_EVENTS: 'none', AUTH_OPENLINEAGE: 'none', AUTH_FLINK_JOBS: 'none',
  POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true',
};

/** One write the bridge sent to Atlas, as recorded between the bridge and the emulator. */
interface RecordedWrite {
  source: string;
  /** What was being posted to the bridge when the write happened, e.g. a sample's file name. */
  item: string;
  method: string;
  path: string;
  status: number;
  request: unknown;
  response: unknown;
  /** GET /v2/entity/guid/{guid} right after the write, for every entity it created or updated. */
  stored: Record<string, unknown>;
}

/** Added by the upgrade path only; the entity checks run on the bridge's typedef file as it is. */
const UPGRADE_ATTRIBUTE = 'atlasCheckUpgrade';

/** Not forwarded: they describe the connection to the proxy, not the request. */
const HOP_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding']);

type MutationResponse = { mutatedEntities?: Record<string, Array<{ guid?: string }>> };

/**
 * A recording proxy in front of the emulator. The bridge's client talks to it as to Atlas; each entity write is
 * answered only after the entities it created or updated were read back, so what is recorded is what that write
 * stored, before any later write changes it.
 */
const startRecorder = async (emulator: AtlasEmulator, record: (write: RecordedWrite) => void, context: () => { source: string; item: string }) => {
  const typedefWrites: Array<{ method: string; request: unknown; status: number }> = [];
  const failures: string[] = [];
  const forward = async (method: string, path: string, headers: http.IncomingHttpHeaders, body: Buffer | undefined) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (HOP_HEADERS.has(k) || v === undefined ? [] : [[k, String(v)]]))),
      ...(body === undefined || body.length === 0 ? {} : { body }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const readBack = async (guids: string[], authorization: string): Promise<Record<string, unknown>> => {
    const stored: Record<string, unknown> = {};
    for (const guid of guids) {
      const response = await fetch(`${emulator.url}/api/atlas/v2/entity/guid/${guid}`, { headers: { authorization } });
      if (response.status !== 200) throw new Error(`GET entity ${guid} after the write answered ${response.status}`);
      stored[guid] = ((await response.json()) as { entity: unknown }).entity;
    }
    return stored;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks);
      const pathname = new URL(path, 'http://x').pathname;
      const isEntityWrite = method !== 'GET' && pathname.startsWith('/api/atlas/v2/entity');
      const isTypedefWrite = method !== 'GET' && pathname === '/api/atlas/v2/types/typedefs';
      forward(method, path, req.headers, body)
        .then(async (answer) => {
          const request = body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
          if (isTypedefWrite) typedefWrites.push({ method, request, status: answer.status });
          if (isEntityWrite) {
            const response = answer.text === '' ? undefined : (JSON.parse(answer.text) as MutationResponse);
            const mutated = answer.status === 200 ? (response?.mutatedEntities ?? {}) : {};
            const guids = [...(mutated.CREATE ?? []), ...(mutated.UPDATE ?? []), ...(mutated.PARTIAL_UPDATE ?? [])].flatMap((h) => (h.guid ? [h.guid] : []));
            const stored = await readBack([...new Set(guids)], String(req.headers.authorization));
            record({ ...context(), method, path: pathname, status: answer.status, request, response, stored });
          }
          const headers: Record<string, string> = {};
          answer.headers.forEach((value, key) => {
            if (!HOP_HEADERS.has(key)) headers[key] = value;
          });
          res.writeHead(answer.status, headers);
          res.end(answer.text);
        })
        .catch((error: unknown) => {
          // A broken recorder must not pass for an Atlas answer: the producer stops after the post (recorder.failure).
          failures.push(`recording ${method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
          res.writeHead(500);
          res.end();
        });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    typedefWrites,
    /** The first recording that failed, if any. */
    failure: (): string | undefined => failures[0],
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
};

type Handler = (event: APIGatewayProxyEventV2, context: typeof lambdaContext) => Promise<unknown>;

/** One thing posted to a bridge route, as a sender would post it. */
interface Post {
  item: string;
  route: 'flinkEvents' | 'openLineage' | 'flinkJobs';
  body: unknown;
  query?: Record<string, string>;
}

const PATHS = { flinkEvents: '/flink/events', openLineage: '/api/v1/lineage', flinkJobs: '/flink/jobs' } as const;

const readJsonDir = (dir: string): Array<{ file: string; json: unknown }> =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown }));

/** Every source the check covers, each posted to an empty store (the bridge's types registered) in this order. */
const sources = (faultEvents: number): Array<{ source: string; posts: Post[] }> => {
  const samples: Post[] = loadSamples().map(({ file, event }) => ({ item: file, route: 'flinkEvents', body: event }));
  const examples: Post[] = readJsonDir(fileURLToPath(new URL('../../schema/examples/', import.meta.url))).map(({ file, json }) => ({ item: file, route: 'flinkEvents', body: json }));
  const fixtures: Post[] = FIXTURES.map((name) => ({ item: `${name}.json`, route: 'openLineage', body: fillFixture(name) }));
  const rest: Post[] = [
    { item: 'restJob RUNNING', route: 'flinkJobs', body: restJob('RUNNING'), query: { cluster: 'flink-prod' } },
    { item: 'restJob FINISHED + execution-result', route: 'flinkJobs', body: { job: restJob('FINISHED'), executionResult: executionResult() }, query: { cluster: 'flink-prod' } },
  ];
  // A Flink SQL catalog's lifecycle: the ALTER, DROP and re-CREATE writes (clears, deletes) no sample makes.
  const orders = id('orders', 'shop');
  const bigOrders = id('big_orders', 'shop');
  const withColumn = kafkaTable('orders');
  withColumn.schema.columns.push({ name: 'channel', dataType: 'STRING', kind: 'PHYSICAL' });
  const catalog: Post[] = [
    databaseEvent('CREATE', 'shop', CT0),
    tableEvent('CREATE', orders, CT0 + 1_000, kafkaTable('orders')),
    tableEvent('CREATE', bigOrders, CT0 + 2_000, viewOf('SELECT `order_id` FROM `default_catalog`.`shop`.`orders` WHERE `amount` > 100')),
    tableEvent('ALTER', orders, CT0 + 3_000, withColumn),
    databaseEvent('ALTER', 'shop', CT0 + 4_000, {}),
    tableEvent('DROP', bigOrders, CT0 + 5_000),
    tableEvent('DROP', orders, CT0 + 6_000),
    tableEvent('CREATE', orders, CT0 + 7_000, kafkaTable('orders')),
    databaseEvent('DROP', 'shop', CT0 + 8_000),
  ].map((event, i) => ({ item: `${i + 1} ${event.type} ${event.action}`, route: 'flinkEvents', body: event }));
  // The fault test's workload (same generator, same seed), its first events in batches of 5, without faults.
  const { events } = generateWorkload(faultEvents);
  const workload: Post[] = [];
  for (let i = 0; i < Math.min(faultEvents, events.length); i += 5) {
    workload.push({ item: `events ${i}..${Math.min(i + 5, faultEvents) - 1}`, route: 'flinkEvents', body: events.slice(i, Math.min(i + 5, faultEvents)) });
  }
  return [
    { source: 'samples', posts: samples },
    // Delivered twice, as at-least-once senders do: the second pass writes updates only (or nothing).
    { source: 'samples-redelivered', posts: [...samples, ...samples] },
    { source: 'schema-examples', posts: examples },
    { source: 'openlineage-fixtures', posts: fixtures },
    { source: 'flink-rest', posts: rest },
    { source: 'catalog-lifecycle', posts: catalog },
    { source: 'fault-workload', posts: workload },
  ];
};

const countWrite = (counts: Record<string, SourceCount>, write: RecordedWrite): void => {
  const count = (counts[write.source] ??= { posts: 0, writes: 0, entities: 0 });
  count.writes += 1;
  const request = write.request as { entities?: unknown[]; referredEntities?: Record<string, unknown> } | undefined;
  count.entities += (request?.entities?.length ?? 0) + Object.keys(request?.referredEntities ?? {}).length;
};

interface SourceCount {
  posts: number;
  writes: number;
  entities: number;
}

export interface AtlasRequestsOptions {
  out?: string;
  faultEvents?: number;
}

/** Records the bridge's Atlas requests into `out`; what it did as the command's answer. */
export const recordAtlasRequests = async (options: AtlasRequestsOptions = {}): Promise<CommandResult> => {
  const out = resolve(options.out ?? DEFAULT_OUT);
  const faultEvents = options.faultEvents ?? DEFAULT_FAULT_EVENTS;
  Object.assign(process.env, HANDLER_ENV);
  const started = Date.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const writesFile = join(out, 'writes.jsonl');
  writeFileSync(writesFile, '');
  const counts: Record<string, SourceCount> = {};
  let current = { source: '', item: '' };
  const record = (write: RecordedWrite): void => {
    appendFileSync(writesFile, `${JSON.stringify(write)}\n`);
    countWrite(counts, write);
  };

  const { AtlasClient, BRIDGE_TYPEDEFS, registerTypes } = await import('../../lib/atlas/index.js');

  // 1. Typedefs: the bridge's registration on an empty Atlas (one POST), then its upgrade path: a new optional
  // attribute makes registerTypes GET the type and PUT it back with the attribute added. On its own emulator, so
  // the probe attribute never reaches the entity checks.
  {
    const emulator = await startAtlasEmulator();
    const recorder = await startRecorder(emulator, record, () => current);
    try {
      const client = new AtlasClient({ baseUrl: recorder.url, user: 'admin', password: 'admin', timeoutMs: 10_000 });
      await registerTypes(client);
      const upgraded = structuredClone(BRIDGE_TYPEDEFS);
      upgraded.entityDefs!.find((d) => d.name === 'flink_job')!.attributeDefs!.push({ name: UPGRADE_ATTRIBUTE, typeName: 'string', isOptional: true, cardinality: 'SINGLE' });
      const upgrade = await registerTypes(client, upgraded);
      if (upgrade.addedAttributes.join() !== `flink_job.${UPGRADE_ATTRIBUTE}`) throw new Error(`the upgrade path added ${upgrade.addedAttributes.join() || 'nothing'}`);
      const create = recorder.typedefWrites.filter((w) => w.method === 'POST');
      const update = recorder.typedefWrites.filter((w) => w.method === 'PUT');
      if (create.length !== 1 || update.length !== 1 || [...create, ...update].some((w) => w.status !== 200)) {
        throw new Error(`expected one POST and one PUT of typedefs answered 200, got ${JSON.stringify(recorder.typedefWrites.map((w) => [w.method, w.status]))}`);
      }
      writeFileSync(join(out, 'typedefs.json'), JSON.stringify({ create: create[0]!.request, update: update[0]!.request, upgradeAttribute: `flink_job.${UPGRADE_ATTRIBUTE}` }, null, 1));
    } finally {
      await recorder.close();
      await emulator.close();
    }
  }

  // 2. Entities: the deployed handlers, in process, with the bridge's Atlas client pointed at the recorder.
  const emulator = await startAtlasEmulator();
  const recorder = await startRecorder(emulator, record, () => current);
  try {
    await registerTypes(new AtlasClient({ baseUrl: emulator.url, user: 'admin', password: 'admin', timeoutMs: 10_000 }));
    process.env.ATLAS_URL = recorder.url;
    const { resetRuntime } = await import('../../lib/runtime/index.js');
    resetRuntime();
    const handlers: Record<Post['route'], Handler> = {
      flinkEvents: (await import('../../functions/flinkEvents.js')).handler as Handler,
      openLineage: (await import('../../functions/openLineage.js')).handler as Handler,
      flinkJobs: (await import('../../functions/flinkJobs.js')).handler as Handler,
    };
    for (const { source, posts } of sources(faultEvents)) {
      emulator.resetEntities();
      (counts[source] ??= { posts: 0, writes: 0, entities: 0 }).posts = posts.length;
      for (const post of posts) {
        current = { source, item: post.item };
        const event = httpEvent(JSON.stringify(post.body), { path: PATHS[post.route] });
        if (post.query) event.queryStringParameters = post.query;
        const answer = parseResponse(await handlers[post.route](event, lambdaContext));
        const failure = recorder.failure();
        if (failure !== undefined) throw new Error(`${source} ${post.item}: ${failure}`);
        // Every input here is valid and Atlas never fails: anything but 200 is a broken check, not data.
        if (answer.status !== 200) throw new Error(`${source} ${post.item}: ${PATHS[post.route]} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
      }
    }
  } finally {
    await recorder.close();
    await emulator.close();
  }

  const total = Object.values(counts).reduce((sum, c) => ({ posts: sum.posts + c.posts, writes: sum.writes + c.writes, entities: sum.entities + c.entities }), { posts: 0, writes: 0, entities: 0 });
  writeFileSync(join(out, 'summary.json'), JSON.stringify({ faultEvents, sources: counts, total, ms: Date.now() - started }, null, 1));
  return result(0, `atlas-requests: ${total.posts} posts, ${total.writes} entity writes, ${total.entities} entities sent, in ${Date.now() - started} ms → ${out}\n`);
};
