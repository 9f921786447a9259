// The esbuild plugin of the function bundles (build/axiosStandIns.cjs): which imports it replaces, and the inline
// modules it replaces them with, harmless when imported, as axios imports them, and a clear error if reached.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const { axiosStandIns, NAMESPACE } = require('../../build/axiosStandIns.cjs') as { axiosStandIns: Plugin; NAMESPACE: string };
const plugins = require('../../build/esbuildPlugins.cjs') as Plugin[];

/** Bundles `source` (as a file of the project's root) with the plugin: the inputs esbuild read, and the output. */
const bundle = async (source: string): Promise<{ inputs: string[]; code: string }> => {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [axiosStandIns],
    logLevel: 'silent',
  });
  return { inputs: Object.keys(result.metafile.inputs), code: result.outputFiles[0]!.text };
};

/** Imports a bundle's output as a module of its own. */
const load = async (code: string): Promise<Record<string, unknown>> =>
  (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>;

/** The stand-in `name`, bundled and imported (its default export and the others). */
const standIn = async (specifier: string): Promise<Record<string, unknown>> =>
  load((await bundle(`export * from '${specifier}'; export { default } from '${specifier}';`)).code);

describe('the axios stand-ins of the function bundles', () => {
  it('is the plugin serverless.yml names, and the only one', () => {
    expect(plugins).toEqual([axiosStandIns]);
  });

  it('axios, bundled with it, holds the stand-ins in place of its optional adapters and packages', async () => {
    const { inputs } = await bundle("import axios from 'axios'; export default axios;");
    const standIns = inputs.filter((i) => i.startsWith(`${NAMESPACE}:`)).sort();
    expect(standIns).toEqual(['debug', 'fetch-adapter', 'follow-redirects', 'form-data', 'http2', 'xhr-adapter'].map((n) => `${NAMESPACE}:${n}`));
    const replaced = /node_modules\/(form-data|mime-db|follow-redirects|debug|supports-color)\/|node_modules\/axios\/lib\/adapters\/(fetch|xhr)\.js$/;
    expect(inputs.filter((i) => replaced.test(i))).toEqual([]);
    // The http adapter itself is there.
    expect(inputs).toContain('node_modules/axios/lib/adapters/http.js');
  });

  it("drops axios's globalThis.FormData lookup, which loads undici at import", async () => {
    const { code } = await bundle("export { default } from 'axios';");
    expect(code).toContain('FormDataCtor = void 0');
    expect(code).not.toMatch(/typeof G\.FormData/);
  });

  it('replaces relative fetch.js / xhr.js and http2 only where axios imports them', async () => {
    const { inputs } = await bundle("import * as http2 from 'node:http2'; export const h = http2;");
    expect(inputs.filter((i) => i.startsWith(`${NAMESPACE}:`))).toEqual([]);
  });

  it('follow-redirects: axios reads http and https off it; a request through them says why it fails', async () => {
    const { http, https } = (await standIn('follow-redirects')).default as Record<string, Record<string, () => void>>;
    expect(() => http!.request!()).toThrow(/follows no redirects \(maxRedirects: 0\)/);
    expect(() => https!.get!()).toThrow(/follow-redirects is not bundled/);
  });

  it('form-data: constructing one says the client sends JSON only', async () => {
    const FormData = (await standIn('form-data')).default as new () => unknown;
    expect(() => new FormData()).toThrow(/sends JSON only; multipart bodies are not bundled/);
  });

  it('debug: loggers that do nothing, with the API the proxy agent uses', async () => {
    type Debugger = ((...args: unknown[]) => unknown) & { enabled: boolean; namespace: string; extend: (n: string) => Debugger };
    const debug = (await standIn('debug')).default as (namespace: string) => Debugger;
    const log = debug('https-proxy-agent:agent');
    expect(log('connecting %s', 'x')).toBeUndefined();
    expect(log.enabled).toBe(false);
    expect(log.extend('more').namespace).toBe('https-proxy-agent:agent:more');
  });

  // The adapters are reached only from axios's own files: bundle one that imports them.
  const fromAxios = async (source: string): Promise<Record<string, unknown>> => {
    const result = await build({
      stdin: { contents: source, resolveDir: `${ROOT}node_modules/axios/lib/adapters`, sourcefile: `${ROOT}node_modules/axios/lib/adapters/entry.js`, loader: 'js' },
      bundle: true, write: false, platform: 'node', format: 'esm', plugins: [axiosStandIns], logLevel: 'silent',
    });
    return load(result.outputFiles[0]!.text);
  };

  it('the fetch adapter: never chosen (adapter: http), and says so if it were', async () => {
    const fetchAdapter = await fromAxios("export * from './fetch.js'; export { default } from './fetch.js';");
    expect(() => (fetchAdapter.getFetch as () => void)()).toThrow(/http adapter: the fetch adapter is not bundled/);
    expect(() => (fetchAdapter.default as () => void)()).toThrow(/not bundled/);
  });

  it('the XMLHttpRequest adapter is false, as axios evaluates it where XMLHttpRequest does not exist', async () => {
    expect((await fromAxios("export { default } from './xhr.js';")).default).toBe(false);
  });

  it('node:http2: any use says the client speaks HTTP/1.1', async () => {
    // A named export: a module's default export is probed (then, __esModule) when vitest imports it.
    const http2 = (await fromAxios("import http2 from 'http2'; export const standIn = http2;")).standIn as Record<string, unknown>;
    expect(() => http2.constants).toThrow(/speaks HTTP\/1\.1: node:http2 is not bundled \(http2\.constants\)/);
    expect(() => (http2.connect as () => void)()).toThrow(/http2\.connect/);
  });
});
