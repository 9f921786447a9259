// The zero-loss proof: a shuffled, duplicated workload goes through the real HTTP handler and the real retry
// worker over a real local SQS, against an Atlas emulator failing 30% of writes in every way Atlas fails.
// Once the queues drain, Atlas must hold exactly what a fault-free, in-order run writes.
import { handler as flinkEvents } from '../../functions/flinkEvents.js';
import { handler as retryWorker } from '../../functions/retryWorker.js';
import type { FlinkEvent } from '../../lib/contract/index.js';
import { writeEvents } from '../../lib/ingest/index.js';
import { listDeadLetters, redriveDeadLetters, RetryQueue } from '../../lib/queue/index.js';
import type { AtlasFault } from '../../local/atlas-emulator/index.js';
import { startSqsPoller } from '../../local/sqsPoller.js';
import { httpEvent, lambdaContext, parseResponse } from '../helpers/apiGateway.js';
import { naming } from '../helpers/events.js';
import { queueEnv, startLocalSqs } from '../../local/localSqs.js';
import { startTestAtlas, useBridgeEnv, type TestAtlas } from '../helpers/stack.js';
import { waitFor } from '../helpers/waitFor.js';
import { generateWorkload, seededRandom } from './workload.js';

export interface FaultReport {
  events: number;
  runs: number;
  duplicates: number;
  httpStatuses: Record<string, number>;
  faultsInjected: Record<string, number>;
  senderRetries: number;
  deadLettered: number;
  atlasEntities: number;
  /** Final status of each run in Atlas, counted. */
  runStatuses: Record<string, number>;
  seconds: number;
  /** Differences between the faulty run's Atlas and the fault-free one: empty means nothing was lost. */
  differences: string[];
  duplicatedEntities: string[];
}

/** What a user sees in Atlas: active entities by type and qualifiedName, relationships by name, no guids or times. */
export const atlasContent = (atlas: TestAtlas): Map<string, string> => {
  const entities = atlas.emulator.entities();
  const byGuid = new Map(entities.map((e) => [e.guid, `${e.typeName} ${e.attributes.qualifiedName as string}`]));
  const nameOf = (ref: unknown) => byGuid.get((ref as { guid?: string } | null)?.guid ?? '') ?? null;
  // Atlas keeps removed relationship values, marked DELETED; what counts is what is related now.
  const active = (ref: unknown) => (ref as { relationshipStatus?: string } | null)?.relationshipStatus !== 'DELETED';
  const isObjectId = (v: unknown) => typeof v === 'object' && v !== null && 'guid' in v;
  const content = new Map<string, string>();
  for (const e of entities.filter((x) => x.status === 'ACTIVE')) {
    const relationships = Object.fromEntries(
      Object.entries(e.relationshipAttributes ?? {}).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.filter(active).map(nameOf).sort() : v !== null && active(v) ? nameOf(v) : null,
      ]),
    );
    // Legacy relationship values repeated under attributes (inputs, db, columns...) are compared above, by name.
    const attributes = Object.fromEntries(
      Object.entries(e.attributes).filter(([, v]) => !isObjectId(v) && !(Array.isArray(v) && v.some(isObjectId))),
    );
    content.set(`${e.typeName} ${e.attributes.qualifiedName as string}`, JSON.stringify({ attributes, relationships }));
  }
  return content;
};

const FAULTS: readonly { name: string; fault: AtlasFault }[] = [
  { name: '500', fault: { kind: 'status', status: 500, body: 'There was an error processing your request.' } },
  { name: '503', fault: { kind: 'status', status: 503 } },
  { name: '429 Retry-After', fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } } },
  { name: 'hang past timeout', fault: { kind: 'hang', ms: 700 } },
  { name: 'connection reset', fault: { kind: 'reset' } },
  { name: 'applied, answer lost', fault: { kind: 'applyThenReset' } },
];

export const runFaultScenario = async (targetEvents: number, options: { senders?: number; workers?: number; seed?: number } = {}): Promise<FaultReport> => {
  const started = Date.now();
  const workload = generateWorkload(targetEvents, options.seed ?? 7);

  // The reference: the same events, in order, no faults.
  const reference = await startTestAtlas();
  const inOrder = [...workload.events].sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  for (let i = 0; i < inOrder.length; i += 50) {
    await writeEvents(inOrder.slice(i, i + 50).map((event, index) => ({ index, event })), reference.client, naming);
  }

  const atlas = await startTestAtlas({ timeoutMs: 300 });
  const sqs = await startLocalSqs({ visibilityTimeout: 10 });
  const queue = new RetryQueue(sqs.sqs, sqs.urls);
  const restoreEnv = useBridgeEnv(atlas.emulator.url, {
    ATLAS_TIMEOUT_MS: '300',
    ...queueEnv(sqs),
    // Longer than any read-to-write span, as docs/delivery.md requires: 300 ms timeouts and 700 ms hangs, plus the
    // event loop lag of one process running emulator, SQS, senders and workers beside other test files on 2 cores.
    CONFIRM_DELAY_SECONDS: '8',
    BACKOFF_BASE_SECONDS: '1',
    BACKOFF_MAX_SECONDS: '4',
    MAX_RECEIVE_COUNT: '16',
  });
  const random = seededRandom((options.seed ?? 7) + 1);
  const faultsInjected: Record<string, number> = {};
  atlas.emulator.setFault((req) => {
    if (!req.path.includes('/v2/entity')) return undefined;
    if (req.isWrite ? random() >= 0.3 : random() >= 0.05) return undefined;
    const { name, fault } = FAULTS[Math.floor(random() * FAULTS.length)]!;
    faultsInjected[name] = (faultsInjected[name] ?? 0) + 1;
    return fault;
  });

  const workers = Array.from({ length: options.workers ?? 2 }, () =>
    startSqsPoller(sqs.sqs, sqs.urls.retry, (event) => retryWorker(event, lambdaContext), { waitSeconds: 0 }),
  );
  const httpStatuses: Record<string, number> = {};
  let senderRetries = 0;
  let deadLettered = 0;
  try {
    // Senders post batches of 1 to 5 events, concurrently; like a well-behaved sender they resend on 503.
    let next = 0;
    const send = async (batch: FlinkEvent[]): Promise<void> => {
      for (;;) {
        const response = parseResponse(await flinkEvents(httpEvent(JSON.stringify(batch.length === 1 ? batch[0] : batch)), lambdaContext));
        const status = String(response.status);
        httpStatuses[status] = (httpStatuses[status] ?? 0) + 1;
        if (response.status !== 503) return;
        senderRetries += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await Promise.all(
      Array.from({ length: options.senders ?? 8 }, async () => {
        while (next < workload.events.length) {
          const size = 1 + Math.floor(random() * 5);
          const batch = workload.events.slice(next, next + size);
          next += size;
          await send(batch);
        }
      }),
    );

    const drained = async () => {
      const depth = await queue.depth('retry');
      return depth.visible + depth.inFlight + depth.delayed === 0;
    };
    await waitFor('the retry queue to drain', async () => (await drained()) && (await new Promise((r) => setTimeout(r, 1500))) === undefined && (await drained()), 600_000, 500);

    // Anything dead-lettered despite 16 tries is redriven once Atlas is healthy, as an operator would.
    atlas.emulator.setFault(undefined);
    deadLettered = (await listDeadLetters(queue)).length;
    if (deadLettered > 0) {
      await redriveDeadLetters(queue);
      await waitFor('the redriven messages to drain', drained, 120_000, 500);
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    restoreEnv();
  }

  const expected = atlasContent(reference);
  const actual = atlasContent(atlas);
  const differences: string[] = [];
  for (const [key, value] of expected) {
    if (!actual.has(key)) differences.push(`missing: ${key}`);
    else if (actual.get(key) !== value) differences.push(`differs: ${key}\n  expected ${value}\n  actual   ${actual.get(key)}`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) differences.push(`unexpected: ${key}`);
  const counts = new Map<string, number>();
  for (const e of atlas.emulator.entities()) {
    const key = `${e.typeName} ${e.attributes.qualifiedName as string}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const duplicatedEntities = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
  const runStatuses: Record<string, number> = {};
  for (const e of atlas.emulator.entities()) {
    if (e.typeName !== 'flink_job_run' || e.status !== 'ACTIVE') continue;
    const status = String(e.attributes.status ?? 'none');
    runStatuses[status] = (runStatuses[status] ?? 0) + 1;
  }

  await Promise.all([atlas.emulator.close(), reference.emulator.close()]);
  sqs.sqs.destroy();
  await sqs.close();
  return {
    events: workload.events.length,
    runs: workload.runs,
    duplicates: workload.duplicates,
    httpStatuses,
    faultsInjected,
    senderRetries,
    deadLettered,
    atlasEntities: actual.size,
    runStatuses,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    differences,
    duplicatedEntities,
  };
};
