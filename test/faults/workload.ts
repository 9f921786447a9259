// A realistic, seeded workload of Flink runs for the fault test: varied jobs, datasets and endings.
import type { FlinkEvent, JobStatus, LineageDataset } from '../../lib/contract/index.js';

/** mulberry32: small, fast, seeded; the same seed gives the same workload on every machine. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const DATASETS: LineageDataset[] = [
  ...Array.from({ length: 30 }, (_, i) => ({ namespace: 'kafka://kafka-1:9092', name: `topic-${i}` })),
  ...Array.from({ length: 10 }, (_, i) => ({ namespace: 'hive://metastore:9083', name: `sales.table_${i}` })),
  ...Array.from({ length: 8 }, (_, i) => ({ namespace: 's3://lake', name: `zone/${i % 3}/set-${i}` })),
  ...Array.from({ length: 5 }, (_, i) => ({ namespace: 'postgres://pg:5432', name: `shop.public.t${i}` })),
  ...Array.from({ length: 3 }, (_, i) => ({ namespace: 'hdfs://nn:8020', name: `/data/raw/${i}` })),
  { namespace: 'hbase://zk:2181', name: 'crm:users' },
  { namespace: 'file', name: '/tmp/out' },
];

export interface Workload {
  events: FlinkEvent[];
  runs: number;
  duplicates: number;
}

const uuidFrom = (random: () => number): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
};

export const generateWorkload = (targetEvents: number, seed = 42): Workload => {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const events: FlinkEvent[] = [];
  let runs = 0;
  let clock = Date.parse('2026-11-01T00:00:00.000Z');
  while (events.length < targetEvents) {
    runs += 1;
    const cluster = pick(['flink-prod', 'flink-batch']);
    const name = `job-${Math.floor(random() * 40)}`;
    const id = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    let t = (clock += 60_000 + Math.floor(random() * 60_000));
    const base = { cluster, eventTime: '', eventId: '' };
    const at = (): { eventTime: string; eventId: string } => ({ eventTime: new Date((t += 1000)).toISOString(), eventId: uuidFrom(random) });
    let previous: JobStatus | undefined;
    const status = (s: JobStatus, extra: Partial<Extract<FlinkEvent, { type: 'job.status' }>> = {}, job: Record<string, unknown> = {}) => {
      events.push({ ...base, ...at(), type: 'job.status', job: { id, name, status: s, ...(previous ? { previousStatus: previous } : {}), ...job }, ...extra } as FlinkEvent);
      previous = s;
    };
    if (random() < 0.5) {
      events.push({ ...base, ...at(), type: 'job.deployment', job: { name, id }, deployment: { version: `1.${Math.floor(random() * 9)}.0`, artifact: `s3://artifacts/${name}.jar` } });
    }
    const sources = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(DATASETS));
    const sinks = Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(DATASETS));
    status('INITIALIZING', { lineage: { sources, sinks } }, { executionMode: random() < 0.7 ? 'STREAMING' : 'BATCH', startTime: t });
    status('CREATED');
    status('RUNNING', {}, { parallelism: 1 + Math.floor(random() * 8) });
    for (let r = Math.floor(random() * 6); r > 0; r -= 1) {
      status('RESTARTING', { error: { message: `TaskManager ${Math.floor(random() * 10)} lost` } });
      status('RUNNING');
    }
    for (let h = Math.floor(random() * 6); h > 0; h -= 1) status('RUNNING');
    const ending = random();
    if (ending < 0.4) {
      status('FINISHED', {}, { endTime: t + 1000 });
      events.push({ ...base, ...at(), type: 'job.result', job: { id, name }, result: { netRuntimeMs: Math.floor(random() * 1e6), accumulators: { rows: Math.floor(random() * 1e6) }, recordsOut: Math.floor(random() * 1e5) } });
    } else if (ending < 0.65) {
      status('FAILING', { error: { message: 'java.lang.RuntimeException: sink unavailable', stackTrace: 'at Sink.invoke(Sink.java:42)' } });
      status('FAILED');
    } else if (ending < 0.85) {
      status('CANCELLING');
      status('CANCELED');
    } else if (ending < 0.9) {
      status('SUSPENDED');
    }
  }
  // Shuffle (Fisher-Yates), then repeat 5% of the events at random places, as retrying senders do.
  for (let i = events.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  const duplicates = Math.round(events.length * 0.05);
  for (let d = 0; d < duplicates; d += 1) events.splice(Math.floor(random() * events.length), 0, pick(events));
  return { events, runs, duplicates };
};
