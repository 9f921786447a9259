// The request bodies the bench posts: a realistic mix of native events (schema/examples, local/samples) and
// OpenLineage events (the openlineage-flink integration's own fixtures, filled as the tests fill them).
// Every variant gives the same bodies new JobIDs, run ids and event ids, so each one is new to Atlas.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../test/faults/workload.js';
import { FIXTURES, fillFixture } from '../../test/helpers/openLineage.js';

export const FLINK_EVENTS_PATH = '/flink/events';
export const OPEN_LINEAGE_PATH = '/api/v1/lineage';

export interface BenchBody {
  path: typeof FLINK_EVENTS_PATH | typeof OPEN_LINEAGE_PATH;
  /** What it is, for error messages. */
  label: string;
  body: string;
  /** Events in the body (an array body counts each item). */
  events: number;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const readJsonDir = (dir: string): { file: string; value: Record<string, any> }[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file: `${dir}/${file}`, value: JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8')) as Record<string, any> }));

const hex = (random: () => number, length: number): string =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

const uuid = (random: () => number): string => {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
};

/** A native event with the JobIDs it names replaced through `ids` (the same old id gives the same new one). */
const renewNative = (event: Record<string, any>, ids: Map<string, string>, random: () => number): Record<string, any> => {
  const copy = structuredClone(event);
  copy.eventId = uuid(random);
  const oldId = copy.job?.id as string | undefined;
  if (oldId !== undefined) {
    if (!ids.has(oldId)) ids.set(oldId, hex(random, 32));
    copy.job.id = ids.get(oldId);
  }
  return copy;
};

export interface Mix {
  bodies: BenchBody[];
  events: number;
  /** What one variant holds, for docs/performance.md. */
  description: string;
}

/**
 * One variant: each example and sample posted alone (as a Flink listener posts them), the samples once more
 * as one array body (as a deploy pipeline may), and each OpenLineage fixture alone (one event per request,
 * as the OpenLineage HTTP transport posts).
 */
export const buildMix = (variants: number, seed = 11): Mix => {
  const random = seededRandom(seed);
  const examples = readJsonDir('schema/examples');
  const samples = readJsonDir('local/samples');
  const bodies: BenchBody[] = [];
  for (let v = 0; v < variants; v += 1) {
    const ids = new Map<string, string>();
    for (const { file, value } of [...examples, ...samples]) {
      bodies.push({ path: FLINK_EVENTS_PATH, label: file, body: JSON.stringify(renewNative(value, ids, random)), events: 1 });
    }
    const batchIds = new Map<string, string>();
    const batch = samples.map(({ value }) => renewNative(value, batchIds, random));
    bodies.push({ path: FLINK_EVENTS_PATH, label: 'local/samples as one array', body: JSON.stringify(batch), events: batch.length });
    for (const name of FIXTURES) {
      const event = fillFixture(name, { runId: uuid(random), jobId: hex(random, 32), eventTime: new Date(Date.UTC(2026, 10, 25, 9, 0, v % 60, 0)).toISOString() });
      bodies.push({ path: OPEN_LINEAGE_PATH, label: `test/fixtures/openlineage/${name}.json`, body: JSON.stringify(event), events: 1 });
    }
  }
  const events = bodies.reduce((n, b) => n + b.events, 0);
  const perVariant = bodies.length / Math.max(1, variants);
  return {
    bodies,
    events,
    description:
      `${examples.length} schema/examples + ${samples.length} local/samples posted one per request, the samples again as one array, ` +
      `${FIXTURES.length} OpenLineage fixtures one per request: ${perVariant} requests, ${events / Math.max(1, variants)} events per variant`,
  };
};
