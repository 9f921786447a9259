// Section 4: what a cold start costs. `serverless package` builds every function exactly as a deploy does
// (serverless-esbuild with custom.esbuild of serverless.yml); the bench takes each function's .mjs out of its
// zip and times `await import()` of it in fresh Node processes, against an empty handler bundled with the same
// esbuild options. Sizes are of the .mjs (what Node loads); the zip also carries the source map.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
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
  mjsBytes: number;
  gzipBytes: number;
  zipBytes: number;
  mapBytes: number;
  initMs: number[];
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
const started = performance.now();
const module = await import(process.env.BENCH_BUNDLE_URL);
const initMs = performance.now() - started;
if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ initMs }));
`;

/** serverless-esbuild's options that are not esbuild's own. */
const PLUGIN_ONLY = new Set(['exclude', 'packager', 'packagerOptions', 'watch', 'keepOutputDirectory', 'installExtraArgs', 'nativeZip', 'zipConcurrency', 'outputWorkFolder', 'outputBuildFolder', 'outputFileExtension', 'concurrency', 'disposeContext', 'skipBuild', 'skipRebuild', 'skipBuildExcludeFns', 'stripEntryResolveExtensions', 'plugins', 'config']);

const toEsbuildOptions = (custom: Record<string, unknown>): BuildOptions => {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) if (!PLUGIN_ONLY.has(key)) options[key] = value;
  const exclude = (custom.exclude as string[] | undefined) ?? [];
  options.external = [...((options.external as string[] | undefined) ?? []), ...exclude.filter((e) => e !== '*')];
  return options as BuildOptions;
};

const timeInit = (file: string, env: Record<string, string>): number => {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...env, BENCH_BUNDLE_URL: pathToFileURL(file).href },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`importing ${file} failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { initMs: number }).initMs;
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
    const handlerFile = fn.handler.replace(/\.[^.]+$/, '');
    const mjs = entries.find((e) => e.name === `${handlerFile}.mjs`);
    if (mjs === undefined) throw new Error(`${name}.zip holds no ${handlerFile}.mjs: ${entries.map((e) => e.name).join(', ')}`);
    const map = entries.find((e) => e.name === `${handlerFile}.mjs.map`);
    // Extracted under bench/out, so `@aws-sdk/*` (external, as in Lambda's runtime) resolves to node_modules.
    const file = join(BUNDLE_DIR, name, `${handlerFile}.mjs`);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, mjs.data);
    functions.push({
      name,
      mjsBytes: mjs.data.length,
      gzipBytes: gzipSync(mjs.data).length,
      zipBytes: statSync(zipFile).size,
      mapBytes: map?.data.length ?? 0,
      initMs: [],
    });
  }

  const esbuildOptions = state.service.custom.esbuild;
  const emptySource = join(BUNDLE_DIR, 'empty', 'handler.ts');
  mkdirSync(join(emptySource, '..'), { recursive: true });
  writeFileSync(emptySource, "export const handler = async (): Promise<unknown> => ({ statusCode: 200, body: '' });\n");
  const outExtension = (esbuildOptions.outExtension as Record<string, string> | undefined)?.['.js'] ?? '.js';
  const emptyFile = join(BUNDLE_DIR, 'empty', `handler${outExtension}`);
  await build({ ...toEsbuildOptions(esbuildOptions), entryPoints: [emptySource], outfile: emptyFile, logLevel: 'error' });
  const emptyBytes = readFileSync(emptyFile);
  const baseline: BundleMeasure = {
    name: 'empty handler',
    mjsBytes: emptyBytes.length,
    gzipBytes: gzipSync(emptyBytes).length,
    zipBytes: 0,
    mapBytes: 0,
    initMs: [],
  };

  const env = benchEnv({ atlasUrl: 'http://127.0.0.1:9' });
  const files = new Map<BundleMeasure, string>([
    [baseline, emptyFile],
    ...functions.map((f): [BundleMeasure, string] => {
      const dir = join(BUNDLE_DIR, f.name);
      const found = readdirSync(dir, { recursive: true }).map(String).find((p) => p.endsWith('.mjs'))!;
      return [f, join(dir, found)];
    }),
  ]);
  // One warm-up import of each (the OS file cache), then round-robin so every bundle sees the same machine.
  for (const [, file] of files) timeInit(file, env);
  for (let run = 0; run < options.runs; run += 1) {
    for (const [measure, file] of files) measure.initMs.push(timeInit(file, env));
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
      name: `cold start: module init of ${f.name} (median of ${f.initMs.length} fresh processes; p90 ${percentile(f.initMs, 90).toFixed(1)} ms)`,
      value: median(f.initMs),
      unit: 'ms',
      baselineName: 'empty handler bundle',
      baseline: baselineInit,
      budget: { on: 'value', max: INIT_BUDGET_MS, text: `≤ ${INIT_BUDGET_MS} ms`, timing: true },
    }),
    figure({
      section: '4',
      name: `bundle size of ${f.name}.mjs, minified (gzip ${Math.round(f.gzipBytes / 1024)} KB; zip with source map ${Math.round(f.zipBytes / 1024)} KB)`,
      value: f.mjsBytes,
      unit: 'bytes',
      baselineName: 'empty handler bundle',
      baseline: result.baseline.mjsBytes,
      budget: { on: 'value', max: BUNDLE_BUDGET_BYTES, text: '≤ 250 KB', timing: false },
    }),
  ]);
};
