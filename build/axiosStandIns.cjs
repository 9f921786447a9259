// esbuild plugin of the function bundles (serverless.yml custom.esbuild.plugins, through build/esbuildPlugins.cjs):
// what of axios the Atlas client never uses is replaced by small inline modules, each harmless when imported (as
// axios imports it) and a clear error if reached. Each costs bundle bytes or cold-start time otherwise (measured
// with bench/coldStart.ts; docs/performance.md):
// - form-data, with mime-db (~170 KB minified), for multipart bodies: the client only ever sends JSON;
// - follow-redirects, with debug: the client sets maxRedirects: 0, for which the http adapter uses node:http(s);
// - debug, which axios's proxy agent (https-proxy-agent, agent-base) logs through: a no-op, without
//   supports-color's terminal probing at import; proxies still work;
// - axios/lib/adapters/fetch.js probes Node's fetch classes at import, which loads Node's bundled undici
//   (15-20 ms): the client sets adapter: 'http' (lib/atlas/client.ts), so it is never chosen;
// - axios/lib/adapters/xhr.js is `false` without XMLHttpRequest (Node, Lambda), and axios then skips it;
// - node:http2, imported by the http adapter and Http2Sessions for httpVersion 2 (~3 ms): the client speaks
//   HTTP/1.1 (axios's default);
// - axios/lib/utils.js reads globalThis.FormData at import (it also loads undici), only to recognise FormData
//   bodies by class: it recognises them by their tag as well (isFormData), and the client sends JSON only, so the
//   lookup is dropped; the build fails if an axios upgrade changes that line.
const { readFile } = require('node:fs/promises');

const NAMESPACE = 'axios-stand-in';
const AXIOS_LIB = /[\\/]node_modules[\\/]axios[\\/]lib[\\/]/;
const FORM_DATA_LOOKUP = "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;";

/** The inline modules, by name (the path esbuild gives them in its namespace, and in the source maps). */
const STAND_INS = {
  'form-data': `
export default class FormDataUnused {
  constructor() {
    throw new Error('the Atlas client sends JSON only; multipart bodies are not bundled');
  }
}`,
  'follow-redirects': `
const unused = () => {
  throw new Error('the Atlas client follows no redirects (maxRedirects: 0): follow-redirects is not bundled');
};
const transport = { request: unused, get: unused };
export default { http: transport, https: transport };`,
  debug: `
const createDebug = (namespace) =>
  Object.assign(() => undefined, {
    enabled: false,
    namespace,
    log: () => undefined,
    extend: (more) => createDebug(namespace + ':' + more),
  });
export default Object.assign(createDebug, {
  enable: () => undefined,
  disable: () => '',
  enabled: () => false,
  debug: createDebug,
});`,
  'fetch-adapter': `
const unused = () => {
  throw new Error("the Atlas client uses axios's http adapter: the fetch adapter is not bundled");
};
export const getFetch = unused;
export default unused;`,
  'xhr-adapter': `
export default false;`,
  http2: `
export default new Proxy({}, {
  get(_target, property) {
    if (typeof property === 'symbol') return undefined;
    throw new Error('the Atlas client speaks HTTP/1.1: node:http2 is not bundled (http2.' + String(property) + ')');
  },
});`,
};

/** Which stand-in an import resolves to, or undefined for esbuild's own resolution. */
const standInFor = (specifier, importer) => {
  if (specifier === 'form-data' || specifier === 'follow-redirects' || specifier === 'debug') return specifier;
  if (!AXIOS_LIB.test(importer)) return undefined;
  if (specifier === './fetch.js') return 'fetch-adapter';
  if (specifier === './xhr.js') return 'xhr-adapter';
  if (specifier === 'http2' || specifier === 'node:http2') return 'http2';
  return undefined;
};

const axiosStandIns = {
  name: 'axios-stand-ins',
  setup(build) {
    build.onResolve({ filter: /^(form-data|follow-redirects|debug|\.\/fetch\.js|\.\/xhr\.js|(node:)?http2)$/ }, (args) => {
      const name = standInFor(args.path, args.importer);
      return name === undefined ? undefined : { path: name, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: STAND_INS[args.path], loader: 'js' }));
    build.onLoad({ filter: /[\\/]node_modules[\\/]axios[\\/]lib[\\/]utils\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(FORM_DATA_LOOKUP)) {
        throw new Error(`axios changed: ${args.path} no longer holds "${FORM_DATA_LOOKUP}" (build/axiosStandIns.cjs)`);
      }
      return { contents: source.replace(FORM_DATA_LOOKUP, 'const FormDataCtor = undefined;'), loader: 'js' };
    });
  },
};

module.exports = { axiosStandIns, STAND_INS, NAMESPACE };
