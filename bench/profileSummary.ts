// Summarizes V8 CPU profiles (node --cpu-prof, written by `npm run bench -- --profile` into bench/out/profiles):
// self time by function and by package/folder, and total (inclusive) time of the bridge's own functions.
//   npx tsx bench/profileSummary.ts bench/out/profiles/throughput-*.cpuprofile [--top 25]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules package, or the project folder (lib/mapping, functions, ...), or (node internals). */
export const bucketOf = (url: string): string => {
  if (url === '') return '(native/gc/idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return '(node internals)';
  const project = /\/(lib\/[^/]+|functions|bench|test|local)\//.exec(url);
  return project ? project[1]! : url;
};

export interface ProfileSummary {
  totalMs: number;
  byFunction: { name: string; selfMs: number }[];
  byBucket: { bucket: string; selfMs: number }[];
  inclusive: { name: string; totalMs: number }[];
}

/** Maps frames of bundled code (bench/out/build/*.mjs, with its .map) back to the TypeScript they came from. */
const sourceMapped = (profile: CpuProfile): CpuProfile => {
  const maps = new Map<string, { map: SourceMap; dir: string } | undefined>();
  const mapOf = (url: string): { map: SourceMap; dir: string } | undefined => {
    if (!maps.has(url)) {
      const file = url.startsWith('file://') ? fileURLToPath(url) : url;
      const map = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : undefined;
      maps.set(url, map === undefined ? undefined : { map, dir: dirname(file) });
    }
    return maps.get(url);
  };
  return {
    ...profile,
    nodes: profile.nodes.map((node) => {
      const mapped = node.callFrame.url.endsWith('.mjs') ? mapOf(node.callFrame.url) : undefined;
      const entry = mapped?.map.findEntry(node.callFrame.lineNumber, node.callFrame.columnNumber) as
        | { originalSource?: string; originalLine?: number; originalColumn?: number }
        | undefined;
      if (entry?.originalSource === undefined) return node;
      return {
        ...node,
        callFrame: { ...node.callFrame, url: resolve(mapped!.dir, entry.originalSource.replace(/^file:\/\//, '')), lineNumber: entry.originalLine ?? 0, columnNumber: entry.originalColumn ?? 0 },
      };
    }),
  };
};

export const summarizeProfile = (raw: CpuProfile, top = 25): ProfileSummary => {
  const profile = sourceMapped(raw);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const label = (f: CallFrame): string => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*?\/(node_modules\/|(?=lib\/|functions\/|bench\/|test\/|local\/))/, '')}:${f.lineNumber + 1}`;
  const fnSelf = new Map<string, number>();
  const bucketSelf = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    totalMs += ms;
    fnSelf.set(label(node.callFrame), (fnSelf.get(label(node.callFrame)) ?? 0) + ms);
    const bucket = node.callFrame.functionName === '(idle)' ? '(idle)' : bucketOf(node.callFrame.url);
    bucketSelf.set(bucket, (bucketSelf.get(bucket) ?? 0) + ms);
    // Inclusive time of project functions: each sample counts once per distinct function on its stack.
    const seen = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const frame = byId.get(cursor)!.callFrame;
      if (!/\/(lib|functions)\//.test(frame.url) || frame.url.includes('node_modules')) continue;
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    }
  }
  const sorted = <K extends string>(m: Map<string, number>, key: K, value: 'selfMs' | 'totalMs') =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => ({ [key]: k, [value]: Math.round(v * 10) / 10 }));
  return {
    totalMs: Math.round(totalMs),
    byFunction: sorted(fnSelf, 'name', 'selfMs') as { name: string; selfMs: number }[],
    byBucket: sorted(bucketSelf, 'bucket', 'selfMs') as { bucket: string; selfMs: number }[],
    inclusive: sorted(inclusive, 'name', 'totalMs') as { name: string; totalMs: number }[],
  };
};

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
  const files = args.filter((a, i) => !a.startsWith('--') && (topIndex < 0 || i !== topIndex + 1));
  for (const file of files) {
    const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top);
    const pct = (ms: number): string => `${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)}%`;
    console.log(`\n${file}: ${summary.totalMs} ms sampled`);
    console.log('\nSelf time by package / folder:');
    for (const b of summary.byBucket) console.log(`  ${pct(b.selfMs)}  ${b.bucket}`);
    console.log('\nSelf time by function:');
    for (const f of summary.byFunction) console.log(`  ${pct(f.selfMs)}  ${f.name}`);
    console.log('\nInclusive time of the bridge\'s own functions:');
    for (const f of summary.inclusive) console.log(`  ${pct(f.totalMs)}  ${f.name}`);
  }
}
