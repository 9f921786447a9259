// What a cold start loads, checked on what would be deployed: `serverless package` into a temporary directory
// (custom.esbuild of serverless.yml: code splitting, the aliases and the axios plugin), then for each function the
// handler and the chunks it imports statically (bench/coldStart.ts, reachableChunks), their sources read from the
// source maps shipped beside them; and each handler imported in a fresh Node process, with the Node built-ins the
// import loaded. The figures (milliseconds, kilobytes) are the bench's (npm run bench -- --only 4).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachableChunks } from '../../bench/coldStart.js';
import { benchEnv } from '../../bench/lib/env.js';
import { readZip } from '../../bench/lib/zip.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FUNCTIONS = ['flinkEvents', 'openLineage', 'flinkJobs', 'retryWorker', 'registerTypes', 'redrive'] as const;
type FunctionName = (typeof FUNCTIONS)[number];
const MAPPING: readonly FunctionName[] = ['flinkEvents', 'openLineage', 'flinkJobs', 'retryWorker'];

interface Bundle {
  handlerFile: string;
  /** Source files (from the source maps) of what the handler loads at cold start, and of what it may load later. */
  initSources: string[];
  lazySources: string[];
}

let packageDir: string;
// Under node_modules, so that what the bundles leave external (@aws-sdk/*) resolves as the Lambda runtime provides it.
let extractDir: string;
const bundles = new Map<FunctionName, Bundle>();

beforeAll(() => {
  packageDir = mkdtempSync(join(tmpdir(), 'fab-bundles-'));
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  extractDir = mkdtempSync(join(ROOT, 'node_modules/.cache/fab-bundles-'));
  execFileSync(process.execPath, ['node_modules/serverless/bin/serverless.js', 'package', '--package', packageDir, '--stage', 'bundletest'], {
    cwd: ROOT,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' },
    stdio: 'pipe',
    timeout: 170_000,
  });
  for (const name of FUNCTIONS) {
    const entries = readZip(readFileSync(join(packageDir, `${name}.zip`)));
    for (const entry of entries) {
      const file = join(extractDir, name, entry.name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, entry.data);
    }
    const files = new Map(entries.map((e) => [e.name, e.data]));
    const handlerFile = `functions/${name}.mjs`;
    const { init, lazy } = reachableChunks(files, handlerFile);
    const sourcesOf = (chunks: string[]): string[] =>
      chunks.flatMap((chunk) => {
        const map = files.get(`${chunk}.map`);
        if (map === undefined) throw new Error(`${name}.zip holds no source map for ${chunk}`);
        return (JSON.parse(map.toString('utf8')) as { sources: string[] }).sources;
      });
    bundles.set(name, { handlerFile, initSources: sourcesOf(init), lazySources: sourcesOf(lazy) });
  }
}, 180_000);

afterAll(() => {
  rmSync(packageDir, { recursive: true, force: true });
  rmSync(extractDir, { recursive: true, force: true });
});

const bundle = (name: FunctionName): Bundle => bundles.get(name)!;
const matching = (sources: readonly string[], pattern: RegExp): string[] => sources.filter((s) => pattern.test(s));

// What no function loads at cold start: the SQL parser of Flink views (on demand), and what of axios the Atlas
// client never uses (serverless.yml custom.esbuild alias and plugins).
// (node-sql-parser's own source map names its sources by the paths of its build: /node-sql-parser/src/...)
const NEVER_AT_INIT = /\/node-sql-parser\/|node_modules\/(big-integer|follow-redirects|debug|supports-color|form-data|mime-db)\/|node_modules\/axios\/lib\/adapters\/(fetch|xhr)\.js$/;

describe('the function bundles: what a cold start loads', () => {
  it.each(FUNCTIONS)('%s loads neither the SQL parser nor the parts of axios the client does not use', (name) => {
    expect(bundle(name).initSources.length).toBeGreaterThan(0);
    expect(matching(bundle(name).initSources, NEVER_AT_INIT)).toEqual([]);
  });

  it.each(MAPPING)('%s has the SQL parser as a chunk loaded on demand', (name) => {
    expect(matching(bundle(name).lazySources, /\/node-sql-parser\/src\/parser\.js$/)).toHaveLength(1);
    expect(matching(bundle(name).lazySources, /lib\/mapping\/catalog\/viewQuery\.ts$/)).toHaveLength(1);
  });

  it('leaves out what a function never uses: Atlas from redrive, event schemas from registerTypes, catalog schemas from the converters', () => {
    expect(matching(bundle('redrive').initSources, /node_modules\/axios\/|lib\/atlas\//)).toEqual([]);
    expect(matching(bundle('registerTypes').initSources, /lib\/contract\//)).toEqual([]);
    for (const name of ['openLineage', 'flinkJobs'] as const) {
      expect(matching(bundle(name).initSources, /lib\/contract\/(catalogEvents|nativeEvents)\.ts$/)).toEqual([]);
    }
    // The other functions do hold them.
    expect(matching(bundle('registerTypes').initSources, /node_modules\/axios\/lib\/axios\.js$/)).toHaveLength(1);
  });

  it.each(FUNCTIONS)('%s, imported in a fresh Node process, loads neither undici (Node fetch) nor node:http2', (name) => {
    const probe = `
      const before = new Set(process.moduleLoadList);
      const module = await import(process.env.BUNDLE_URL);
      const loaded = process.moduleLoadList.filter((m) => !before.has(m));
      process.stdout.write(JSON.stringify({ handler: typeof module.handler, loaded }));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: ROOT,
      env: { ...process.env, ...benchEnv({ atlasUrl: 'http://127.0.0.1:9' }), BUNDLE_URL: pathToFileURL(join(extractDir, name, bundle(name).handlerFile)).href },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const { handler, loaded } = JSON.parse(result.stdout) as { handler: string; loaded: string[] };
    expect(handler).toBe('function');
    expect(loaded.filter((m) => /undici|http2/.test(m))).toEqual([]);
    // The probe sees built-ins being loaded (http for axios, crypto for the signatures...).
    expect(loaded.some((m) => /NativeModule (crypto|http)$/.test(m))).toBe(true);
  });
});
