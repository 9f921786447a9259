// Section 4: what a cold start costs. `serverless package` builds every function exactly as a deploy does
// (serverless-esbuild with custom.esbuild of serverless.yml); the bench takes each function's .mjs out of its
// zip and times `await import()` of it in fresh Node processes, against an empty handler bundled with the same
// esbuild options. Sizes are of the .mjs (what Node loads); the zip also carries the source map.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { OUT_DIR, ROOT_DIR } from './lib/children.js';
import { benchEnv } from './lib/env.js';
import { figure, median, percentile, type Figure } from './lib/stats.js';
import { readZip } from './lib/zip.js';

export interface ColdStartOptions {
  /** Fresh processes per bundle. */
  runs: number;
}

export interface BundleMeasure {
  name: string;
  /** The handler's .mjs and every chunk it imports statically: what Node loads at cold start. */
  initBytes: number;
  /** The chunks it may import later (dynamic import(), e.g. the SSM parameters provider). */
  lazyBytes: number;
  /** initBytes + lazyBytes: all the JavaScript this function can run, minified. */
  mjsBytes: number;
  files: string[];
  gzipBytes: number;
  zipBytes: number;
  mapBytes: number;
  initMs: number[];
  /** CPU time of the same imports (all threads of the process). */
  cpuMs: number[];
}

export interface ColdStartResult {
  esbuildOptions: Record<string, unknown>;
  baseline: BundleMeasure;
  functions: BundleMeasure[];
  packageSeconds: number;
}

const PACKAGE_DIR = join(OUT_DIR, 'package');
const BUNDLE_DIR = join(OUT_DIR, 'bundles');

const PROBE = `
const cpu = process.cpuUsage();
const started = performance.now();
const module = await import(process.env.BENCH_BUNDLE_URL);
const initMs = performance.now() - started;
const used = process.cpuUsage(cpu);
if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ initMs, cpuMs: (used.user + used.system) / 1000 }));
`;

/** serverless-esbuild's options that are not esbuild's own. */
const PLUGIN_ONLY = new Set(['exclude', 'packager', 'packagerOptions', 'watch', 'keepOutputDirectory', 'installExtraArgs', 'nativeZip', 'zipConcurrency', 'outputWorkFolder', 'outputBuildFolder', 'outputFileExtension', 'concurrency', 'disposeContext', 'skipBuild', 'skipRebuild', 'skipBuildExcludeFns', 'stripEntryResolveExtensions', 'plugins', 'config']);

export const toEsbuildOptions = (custom: Record<string, unknown>): BuildOptions => {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) if (!PLUGIN_ONLY.has(key)) options[key] = value;
  const exclude = (custom.exclude as string[] | undefined) ?? [];
  options.external = [...((options.external as string[] | undefined) ?? []), ...exclude.filter((e) => e !== '*')];
  return options as BuildOptions;
};

/** custom.esbuild.plugins: a file exporting esbuild plugins (or a function of serverless returning them), as serverless-esbuild reads it. */
export const loadEsbuildPlugins = async (custom: Record<string, unknown>): Promise<Plugin[]> => {
  if (typeof custom.plugins !== 'string') return [];
  const loaded = createRequire(import.meta.url)(join(ROOT_DIR, custom.plugins)) as Plugin[] | { default: Plugin[] } | (() => Plugin[]);
  const plugins = 'default' in loaded ? loaded.default : loaded;
  return typeof plugins === 'function' ? plugins() : plugins;
};

/**
 * The chunks an entry loads (esbuild code splitting): static imports at cold start, dynamic import() later.
 * Only relative imports are followed (`@aws-sdk/*` and node: builtins are not in the bundle).
 */
export const reachableChunks = (files: ReadonlyMap<string, Buffer>, entry: string): { init: string[]; lazy: string[] } => {
  const imports = (file: string): { static: string[]; dynamic: string[] } => {
    const text = files.get(file)?.toString('utf8') ?? '';
    const resolve = (spec: string): string => posix.join(posix.dirname(file), spec);
    const dynamic = [...text.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)].map((m) => resolve(m[1]!));
    const statics = [...text.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => resolve(m[1]!));
    return { static: statics, dynamic };
  };
  const init = new Set<string>();
  const walk = (file: string, into: Set<string>, seen: Set<string>): void => {
    if (seen.has(file) || !files.has(file)) return;
    seen.add(file);
    into.add(file);
    for (const next of imports(file).static) walk(next, into, seen);
  };
  walk(entry, init, new Set());
  const lazy = new Set<string>();
  const pending = [...init];
  while (pending.length > 0) {
    for (const target of imports(pending.pop()!).dynamic) {
      const reached = new Set<string>();
      walk(target, reached, new Set([...init, ...lazy]));
      for (const file of reached) {
        lazy.add(file);
        pending.push(file);
      }
    }
  }
  return { init: [...init], lazy: [...lazy] };
};

const timeInit = (file: string, env: Record<string, string>): { initMs: number; cpuMs: number } => {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...env, BENCH_BUNDLE_URL: pathToFileURL(file).href },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`importing ${file} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { initMs: number; cpuMs: number };
};

export const measureColdStart = async (options: ColdStartOptions): Promise<ColdStartResult> => {
  rmSync(PACKAGE_DIR, { recursive: true, force: true });
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const started = Date.now();
  const packaged = spawnSync(join(ROOT_DIR, 'node_modules/.bin/serverless'), ['package', '--package', PACKAGE_DIR], {
    cwd: ROOT_DIR,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (packaged.status !== 0) throw new Error(`serverless package failed:\n${packaged.stdout}\n${packaged.stderr}`);
  const packageSeconds = (Date.now() - started) / 1000;

  const state = JSON.parse(readFileSync(join(PACKAGE_DIR, 'serverless-state.json'), 'utf8')) as {
    service: { custom: { esbuild: Record<string, unknown> }; functions: Record<string, { handler: string }> };
  };
  const functions: BundleMeasure[] = [];
  for (const [name, fn] of Object.entries(state.service.functions)) {
    const zipFile = join(PACKAGE_DIR, `${name}.zip`);
    const entries = readZip(readFileSync(zipFile));
    const handlerFile = `${fn.handler.replace(/\.[^.]+$/, '')}.mjs`;
    if (!entries.some((e) => e.name === handlerFile)) throw new Error(`${name}.zip holds no ${handlerFile}: ${entries.map((e) => e.name).join(', ')}`);
    // Extracted under bench/out, so `@aws-sdk/*` (external, as in Lambda's runtime) resolves to node_modules.
    for (const entry of entries) {
      const file = join(BUNDLE_DIR, name, entry.name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, entry.data);
    }
    const { init, lazy } = reachableChunks(new Map(entries.map((e) => [e.name, e.data])), handlerFile);
    const size = (files: readonly string[]): number => files.reduce((n, f) => n + entries.find((e) => e.name === f)!.data.length, 0);
    const code = Buffer.concat([...init, ...lazy].map((f) => entries.find((e) => e.name === f)!.data));
    functions.push({
      name,
      initBytes: size(init),
      lazyBytes: size(lazy),
      mjsBytes: size(init) + size(lazy),
      files: [...init, ...lazy],
      gzipBytes: gzipSync(code).length,
      zipBytes: statSync(zipFile).size,
      mapBytes: entries.filter((e) => e.name.endsWith('.map')).reduce((n, e) => n + e.data.length, 0),
      initMs: [],
      cpuMs: [],
    });
  }

  const esbuildOptions = state.service.custom.esbuild;
  const emptySource = join(BUNDLE_DIR, 'empty', 'handler.ts');
  mkdirSync(join(emptySource, '..'), { recursive: true });
  writeFileSync(emptySource, "export const handler = async (): Promise<unknown> => ({ statusCode: 200, body: '' });\n");
  const outExtension = (esbuildOptions.outExtension as Record<string, string> | undefined)?.['.js'] ?? '.js';
  const emptyFile = join(BUNDLE_DIR, 'empty', `handler${outExtension}`);
  // outdir, as serverless-esbuild builds (code splitting needs it).
  await build({ ...toEsbuildOptions(esbuildOptions), plugins: await loadEsbuildPlugins(esbuildOptions), entryPoints: [emptySource], outdir: dirname(emptyFile), logLevel: 'error' });
  const emptyBytes = readFileSync(emptyFile);
  const baseline: BundleMeasure = {
    name: 'empty handler',
    initBytes: emptyBytes.length,
    lazyBytes: 0,
    mjsBytes: emptyBytes.length,
    files: ['handler.mjs'],
    cpuMs: [],
    gzipBytes: gzipSync(emptyBytes).length,
    zipBytes: 0,
    mapBytes: 0,
    initMs: [],
  };

  const env = benchEnv({ atlasUrl: 'http://127.0.0.1:9' });
  const files = new Map<BundleMeasure, string>([
    [baseline, emptyFile],
    ...functions.map((f): [BundleMeasure, string] => [f, join(BUNDLE_DIR, f.name, f.files[0]!)]),
  ]);
  // One warm-up import of each (the OS file cache), then round-robin so every bundle sees the same machine.
  for (const [, file] of files) timeInit(file, env);
  for (let run = 0; run < options.runs; run += 1) {
    for (const [measure, file] of files) {
      const { initMs, cpuMs } = timeInit(file, env);
      measure.initMs.push(initMs);
      measure.cpuMs.push(cpuMs);
    }
  }
  return { esbuildOptions, baseline, functions, packageSeconds };
};

export const INIT_BUDGET_MS = 50;
export const BUNDLE_BUDGET_BYTES = 250 * 1024;

export const coldStartFigures = (result: ColdStartResult): Figure[] => {
  const baselineInit = median(result.baseline.initMs);
  return result.functions.flatMap((f) => [
    figure({
      section: '4',
      name: `cold start: module init of ${f.name} (median of ${f.initMs.length} fresh processes; p90 ${percentile(f.initMs, 90).toFixed(1)} ms; CPU ${median(f.cpuMs).toFixed(1)} ms)`,
      value: median(f.initMs),
      unit: 'ms',
      baselineName: 'empty handler bundle',
      baseline: baselineInit,
      budget: { on: 'value', max: INIT_BUDGET_MS, text: `≤ ${INIT_BUDGET_MS} ms`, gatesCi: false },
    }),
    // The budget is on what a cold start loads; chunks imported on demand (the SSM provider, the SQL parser of
    // Flink views) are reported beside it.
    figure({
      section: '4',
      name: `bundle size of ${f.name}, minified JS loaded at init${f.lazyBytes > 0 ? ` (+ ${Math.round(f.lazyBytes / 1024)} KB on demand)` : ''} (all of it gzipped ${Math.round(f.gzipBytes / 1024)} KB; zip with source maps ${Math.round(f.zipBytes / 1024)} KB)`,
      value: f.initBytes,
      unit: 'bytes',
      baselineName: 'empty handler bundle',
      baseline: result.baseline.initBytes,
      budget: { on: 'value', max: BUNDLE_BUDGET_BYTES, text: '≤ 250 KB at init', gatesCi: false },
    }),
  ]);
};
